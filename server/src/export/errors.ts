/** An export that cannot be made (a construct the target cannot express, a path it may not write); nothing is written. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}
