/**
 * Lets the event loop run pending callbacks (a SIGINT handler, a progress redraw) between two
 * pieces of synchronous work. A handler only runs when the loop is free, so a long analysis
 * that never awaits would leave Ctrl-C waiting until it ends.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
