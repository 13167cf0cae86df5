import { SingleBar } from 'cli-progress';

/**
 * Progress of long work (verify, export, backup): a bar on a terminal (stderr), nothing otherwise
 * (a pipe, a log file, cron, --json), so scripts read only the result on stdout.
 */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number, total?: number): void;
  stop(): void;
}

export const quietProgress: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

export function progressFor(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return quietProgress;
  let bar: SingleBar | undefined;
  return {
    start(label, total) {
      bar = new SingleBar({ stream, format: `${label} [{bar}] {percentage}% {value}/{total}`, hideCursor: true, clearOnComplete: true });
      bar.start(total, 0);
    },
    update(done, total) {
      if (total !== undefined) bar?.setTotal(total);
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
