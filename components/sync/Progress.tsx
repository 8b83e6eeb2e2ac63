import { useCallback, useEffect, useRef, useState } from 'react';

/** Work longer than this shows a progress indicator; shorter work would only flicker. */
export const PROGRESS_DELAY_MS = 300;

export interface ProgressState {
  label: string;
  done?: number;
  total?: number;
}

export type Report = (p: ProgressState) => void;

/**
 * Run long work with a progress indicator that appears only after PROGRESS_DELAY_MS. `busy` is true
 * at once (so buttons disable), `progress` only once the delay has passed.
 */
export function useDelayedProgress(delayMs = PROGRESS_DELAY_MS) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ProgressState | null>(null);
  const latest = useRef<ProgressState | null>(null);
  const shown = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const run = useCallback(
    async <T,>(label: string, work: (report: Report) => Promise<T>): Promise<T> => {
      latest.current = { label };
      shown.current = false;
      setBusy(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        shown.current = true;
        setProgress(latest.current);
      }, delayMs);
      const report: Report = (p) => {
        latest.current = p;
        if (shown.current) setProgress(p);
      };
      try {
        return await work(report);
      } finally {
        clearTimeout(timer.current);
        shown.current = false;
        latest.current = null;
        setProgress(null);
        setBusy(false);
      }
    },
    [delayMs],
  );
  return { busy, progress, run };
}

/** The indicator: a bar (determinate when the work can count) and what is happening. */
export function ProgressLine({ progress }: { progress: ProgressState | null }) {
  if (!progress) return null;
  const determinate = progress.total !== undefined && progress.done !== undefined;
  return (
    <div className="sync-progress" role="status" aria-live="polite">
      <progress {...(determinate ? { value: progress.done, max: progress.total } : {})} aria-label={progress.label} />
      <span>{progress.label}…</span>
    </div>
  );
}
