/**
 * The loader's passes yield after each chunk of lines. A worker runs them to
 * the end at once; the CLI and the language server give way to the event
 * loop between chunks, so that Ctrl-C, a cancellation or another request is
 * heard while a large file loads.
 */
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runStepsAsync<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
