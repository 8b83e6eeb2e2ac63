import type { Settings } from '@/lib/settings';

export interface SettingsPanelProps {
  settings: Settings;
  onChange(patch: Partial<Settings>): void;
  saved: boolean;
}

type Treatment = Settings['starredOnListings'];

/** The reader's settings, saved as they change. Presentational. */
export function SettingsPanel({ settings, onChange, saved }: SettingsPanelProps) {
  return (
    <section className="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <p className="muted">Changes apply at once, in every open tab. {saved && <span aria-live="polite">Saved.</span>}</p>
      <fieldset>
        <legend>On listing pages</legend>
        <label className="check">
          <input type="checkbox" checked={settings.shortcuts} onChange={(e) => onChange({ shortcuts: e.target.checked })} />
          <span>
            Keyboard shortcuts <span className="muted">(j/k move, s star, t tag, n note, ? help)</span>
          </span>
        </label>
        <label className="check">
          <input type="checkbox" checked={settings.markNew} onChange={(e) => onChange({ markNew: e.target.checked })} />
          <span>Mark papers I have not seen before as new</span>
        </label>
        <label className="field">
          <span>Starred papers</span>
          <select value={settings.starredOnListings} onChange={(e) => onChange({ starredOnListings: e.target.value as Treatment })}>
            <option value="show">Show as usual</option>
            <option value="dim">Dim</option>
            <option value="hide">Hide</option>
          </select>
        </label>
        <label className="field">
          <span>Papers seen on an earlier visit</span>
          <select value={settings.seenOnListings} onChange={(e) => onChange({ seenOnListings: e.target.value as Treatment })}>
            <option value="show">Show as usual</option>
            <option value="dim">Dim</option>
            <option value="hide">Hide</option>
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>Backups</legend>
        <label className="field">
          <span>Remind me to export after</span>
          <span>
            <input
              type="number"
              min={0}
              max={365}
              value={settings.exportReminderDays}
              aria-label="Days before an export reminder (0 for never)"
              onChange={(e) => {
                const days = Math.max(0, Math.min(365, Math.round(Number(e.target.value) || 0)));
                onChange({ exportReminderDays: days });
              }}
            />{' '}
            days <span className="muted">(0: never)</span>
          </span>
        </label>
      </fieldset>
    </section>
  );
}
