/**
 * The loader's passes yield after each chunk of lines. A worker runs them to
 * the end at once; the CLI and the language server give way to the event
 * loop between chunks, so that Ctrl-C, a cancellation or another request is
 * heard while a large file loads.
 */
import type { FillOptions } from "./csv-rows";

export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export async function runStepsAsync<T>(steps: Steps<T>, pause: () => Promise<void> = nextTurn): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/**
 * NNET_TEST_HOLD_READ=1 holds a read after its first progress report until
 * it is told to stop (or the process ends), so that a test interrupts it at a
 * known point instead of racing the rest of the file.
 */
export function heldForTests<O extends FillOptions>(options: O): { options: O; pause: () => Promise<void> } {
  if (process.env.NNET_TEST_HOLD_READ !== "1") return { options, pause: nextTurn };
  let reported = false;
  const onProgress = (done: number, total: number): void => {
    reported = true;
    options.onProgress?.(done, total);
  };
  const pause = async (): Promise<void> => {
    await nextTurn();
    while (reported && !options.shouldStop?.()) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { options: { ...options, onProgress }, pause };
}
