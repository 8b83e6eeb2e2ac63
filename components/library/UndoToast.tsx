export interface UndoEntry {
  id: number;
  message: string;
}

/** What just happened, with a way back. Stays until replaced; Ctrl+Z does the same as the button. */
export function UndoToast(props: { entry: UndoEntry | null; busy: boolean; onUndo(): void; onDismiss(): void; status: string }) {
  if (!props.entry && !props.status) return <div className="toast-region" role="status" aria-live="polite" />;
  return (
    <div className="toast-region" role="status" aria-live="polite">
      <div className="toast">
        <span className="toast-message">{props.status || props.entry?.message}</span>
        {props.entry && !props.status && (
          <>
            <button type="button" disabled={props.busy} onClick={props.onUndo}>
              Undo
            </button>
            <span className="muted kbd-hint">Ctrl+Z</span>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={props.onDismiss}>
              ×
            </button>
          </>
        )}
      </div>
    </div>
  );
}
