import type { CSSProperties } from 'react';

/** A tag as a chip, in its colour when it has one, with a remove button when removable. */
export function TagChip(props: { tag: string; color?: string; count?: number; onRemove?(): void }) {
  const style = props.color ? ({ '--chip-color': props.color } as CSSProperties) : undefined;
  return (
    <span className="chip" data-tag={props.tag} data-color={props.color ? '' : undefined} style={style}>
      <span>{props.tag}</span>
      {props.count !== undefined && <span className="muted"> {props.count}</span>}
      {props.onRemove && (
        <button type="button" aria-label={`Remove tag ${props.tag}`} title={`Remove tag ${props.tag}`} onClick={props.onRemove}>
          ×
        </button>
      )}
    </span>
  );
}
