/** A one-line progress bar, redrawn in place on a terminal; silent when the stream is not a TTY (CI, pipes). */
export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, label: string, now: () => number = Date.now) {
  const start = now();
  let last = 0;
  const render = (done: number, total: number): string => {
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * width);
    const secs = Math.max(0.001, (now() - start) / 1000);
    return `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} docs ${Math.round(done / secs).toLocaleString('en-US')}/s`;
  };
  return {
    render,
    update(done: number, total: number) {
      if (!stream.isTTY) return;
      const t = now();
      if (t - last < 100 && done < total) return;
      last = t;
      stream.write(render(done, total));
    },
    finish(done: number, total: number) {
      if (stream.isTTY) stream.write(render(done, total) + '\n');
    },
  };
}
