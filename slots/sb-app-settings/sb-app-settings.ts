import { LitElement, html, nothing, type TemplateResult } from 'lit';
import {
  checkValues,
  coerce,
  conditionHolds,
  defaultOf,
  everyField,
  initialValues,
  valueFields,
  staticOptions,
  messageOf,
  textOf,
  type Host,
  type Installation,
  type WizardEntryDefinition as WizardEntry,
  type WizardValues,
} from '../../src/for-slots.js';
import { choiceErrors, type Choices } from './dropdown-choices.js';
import { HostController } from '../shared/host-controller.js';
import { themeStyles } from '../shared/theme.js';
import { appSettingsStyles } from './sb-app-settings.styles.js';
import { collapsibleGroups, domId, fillFieldTemplate, text } from './field-text.js';
import { fire } from '../events.js';

/**
 * @tag sb-app-settings
 * @summary An app's settings form, from its manifest's `wizard`: every field
 * type, hints, conditional fields, defaults, dropdowns from platform sources,
 * checked as the user types and on save. Saving writes the values to the
 * installation through each field's `target`; guests get a `settings` event.
 * @event sb-settings-saved - After a save: `detail` is `{ app, project, settings }`.
 * @event sb-settings-unsaved - The form's edits became unsaved, or were saved: `detail` is `{ app, unsaved }` (the page may hold off what runs with the saved settings).
 * @csspart form - The form.
 * @csspart field - Each field's row.
 * @cssproperty --sb-color-danger - Error messages.
 */
export class SbAppSettings extends LitElement {
  static override styles = [themeStyles, appSettingsStyles];
  static override properties = {
    unsaved: { type: Boolean, reflect: true },
    host: { attribute: false },
    app: { reflect: true },
    theme: { reflect: true },
    _values: { state: true },
    _errors: { state: true },
    _status: { state: true },
    _collapsed: { state: true },
    _choices: { state: true },
    _filters: { state: true },
  };

  /** The host; else the nearest `<sb-host>`'s. */
  declare host: Host | undefined;
  /** The app whose wizard this is. */
  declare app: string | undefined;
  /** `light` or `dark`; unset, the host's theme (`host.theme`). */
  declare theme: 'light' | 'dark' | undefined;
  /** Whether the form holds edits not saved yet (set by the element; a run uses the saved settings). */
  declare unsaved: boolean;
  declare _values: WizardValues;
  declare _errors: Record<string, string>;
  declare _status: { saving?: boolean; message?: string; error?: string };
  declare _collapsed: ReadonlySet<string>;
  declare _choices: ReadonlyMap<string, Choices>;
  declare _filters: ReadonlyMap<string, string>;
  readonly #hosts = new HostController(this);
  /** The installation the values were loaded from; a newer one reloads them while nothing is edited. */
  #loadedFrom: Installation | undefined;
  #loadedKey = '';
  #touched = new Set<string>();

  constructor() {
    super();
    this.app = undefined;
    this.unsaved = false;
    this._values = {};
    this._errors = {};
    this._status = {};
    this._collapsed = new Set();
    this._choices = new Map();
    this._filters = new Map();
  }

  protected override willUpdate(): void {
    const host = this.#hosts.host;
    const installation = host && this.app ? host.registry.installation(this.app) : undefined;
    const key = `${this.app}\u0000${host?.project}`;
    if (key !== this.#loadedKey) {
      this.#loadedKey = key;
      this.#touched = new Set();
      this.#markUnsaved(false);
      this._choices = new Map();
      this._errors = {};
      this._status = {};
      this.#loadedFrom = undefined;
    }
    if (installation && installation !== this.#loadedFrom && this.#touched.size === 0) {
      this.#loadedFrom = installation;
      const entries = this.#entries();
      this._values = initialValues(entries, installation.settings);
      this._collapsed = new Set(collapsibleGroups(entries));
      if (host) this.#loadChoices(host, entries);
    }
  }

  protected override render() {
    const host = this.#hosts.host;
    if (!host)
      return html`<p class="empty">No host: set the element's <code>host</code>, or put it inside an <code>&lt;sb-host&gt;</code>.</p>`;
    const record = this.app ? host.registry.installedApp(this.app) : undefined;
    if (!record)
      return html`<p class="empty">${this.app ? `${this.app} is not installed in this project.` : 'Set the app attribute to the app whose settings to show.'}</p>`;
    const entries = this.#entries();
    if (entries.length === 0) return html`<p class="empty">${record.manifest.displayName} has no settings.</p>`;
    return html`<form part="form" novalidate aria-label=${`${record.manifest.displayName} settings`} @submit=${this.#save}>
      ${this.#fields(entries, this._values, '', (name, value) => this.#set(name, value))}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this._status.saving === true}>Save</button>
        <span class="status" role="status">${this._status.message ?? (this.unsaved ? 'Not saved yet: runs use the saved settings.' : '')}</span>
      </div>
      ${this._status.error ? html`<p class="error" role="alert">${this._status.error}</p>` : nothing}
    </form>`;
  }

  #entries(): WizardEntry[] {
    const host = this.#hosts.host;
    return (this.app && host?.registry.installedApp(this.app)?.manifest.wizard?.entries) || [];
  }

  /** The fields of one level that show with these values; `path` prefixes ids and error keys (`list[0].`). */
  #fields(
    entries: readonly WizardEntry[],
    values: WizardValues,
    path: string,
    set: (name: string, value: unknown) => void,
  ): TemplateResult[] {
    return entries
      .filter((e) => conditionHolds(e, values))
      .map((entry) => {
        if (entry.type === 'group') return this.#group(entry, values, path, set);
        if (entry.type === 'list') return this.#list(entry, values, path, set);
        return this.#field(entry, values[entry.name], path, (value) => set(entry.name, value));
      });
  }

  #field(entry: WizardEntry, value: unknown, path: string, set: (value: unknown) => void): TemplateResult {
    const key = path + entry.name;
    const id = domId(key);
    const error = this._errors[key];
    const label = entry.title ?? entry.name;
    const describedBy = [entry.info ? `${id}-info` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing;
    const common = { id, invalid: error ? 'true' : 'false', required: entry.required === true };
    let control: TemplateResult;
    switch (entry.type) {
      case 'checkbox':
        control = html`<input id=${id} type="checkbox" .checked=${value === true} aria-invalid=${common.invalid} aria-describedby=${describedBy}
          @change=${(e: Event) => set((e.target as HTMLInputElement).checked)} />`;
        break;
      case 'multiline_text':
        control = html`<textarea id=${id} rows="4" .value=${text(value)} placeholder=${entry.placeholder ?? nothing} ?required=${common.required}
          aria-invalid=${common.invalid} aria-describedby=${describedBy} @input=${(e: Event) => set((e.target as HTMLTextAreaElement).value)}></textarea>`;
        break;
      case 'dropdown':
        control = this.#dropdown(entry, value, key, id, describedBy, set);
        break;
      default:
        control = html`<input id=${id} type="text" inputmode=${entry.type === 'integer' ? 'numeric' : entry.type === 'float' ? 'decimal' : nothing}
          .value=${text(value)} placeholder=${entry.placeholder ?? nothing} ?required=${common.required} aria-invalid=${common.invalid}
          aria-describedby=${describedBy} @input=${(e: Event) => set((e.target as HTMLInputElement).value)} />`;
    }
    const checkbox = entry.type === 'checkbox';
    return html`<div class="field ${checkbox ? 'checkbox' : ''}" part="field" data-field=${key}>
      ${checkbox ? control : nothing}
      <label for=${id}>${label}${entry.required && !checkbox ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</label>
      ${checkbox ? nothing : control}
      ${entry.info ? html`<small class="info" id=${`${id}-info`}>${entry.info}</small>` : nothing}
      ${error ? html`<small class="error" id=${`${id}-error`}>${error}</small>` : nothing}
    </div>`;
  }

  #dropdown(
    entry: WizardEntry,
    value: unknown,
    key: string,
    id: string,
    describedBy: string | typeof nothing,
    set: (value: unknown) => void,
  ): TemplateResult {
    const choices = this._choices.get(entry.name) ?? 'loading';
    if (choices === 'loading')
      return html`<select id=${id} disabled aria-describedby=${describedBy}><option>Loading choices…</option></select>`;
    if ('error' in choices)
      return html`<select id=${id} disabled aria-invalid="true" aria-describedby=${describedBy}><option>${choices.error}</option></select>`;
    const filter = (this._filters.get(key) ?? '').toLowerCase();
    const shown = filter ? choices.filter((c) => c.label.toLowerCase().includes(filter) || String(c.value) === String(value)) : choices;
    const selected = textOf(value ?? '');
    return html`${
      entry.autocomplete
        ? html`<input type="search" class="filter" aria-label=${`Filter ${entry.title ?? entry.name}`} placeholder="Type to filter…" .value=${this._filters.get(key) ?? ''}
            @input=${(e: Event) => (this._filters = new Map(this._filters).set(key, (e.target as HTMLInputElement).value))} />`
        : nothing
    }
      <select id=${id} ?required=${entry.required === true} aria-invalid=${this._errors[key] ? 'true' : 'false'} aria-describedby=${describedBy}
        @change=${(e: Event) => {
          const index = (e.target as HTMLSelectElement).selectedIndex - 1;
          set(index >= 0 ? shown[index].value : undefined);
        }}>
        <option value="" ?selected=${selected === ''}>${entry.placeholder ?? 'Choose…'}</option>
        ${shown.map((c) => html`<option value=${String(c.value)} ?selected=${String(c.value) === selected}>${c.label}</option>`)}
      </select>`;
  }

  #group(entry: WizardEntry, values: WizardValues, path: string, set: (name: string, value: unknown) => void): TemplateResult {
    const key = path + entry.name;
    const collapsed = entry.collapsible === true && this._collapsed.has(key);
    const title = entry.title ?? entry.name;
    const summary = collapsed && entry.collapsibleTitleTemplate ? fillFieldTemplate(entry.collapsibleTitleTemplate, values) : title;
    const bodyId = `${domId(key)}-body`;
    return html`<fieldset class="group" part="field" data-field=${key}>
      <legend>
        ${
          entry.collapsible
            ? html`<button type="button" class="toggle" aria-expanded=${collapsed ? 'false' : 'true'} aria-controls=${bodyId} @click=${() => this.#toggle(key)}>${summary}</button>`
            : title
        }
      </legend>
      ${entry.info ? html`<small class="info">${entry.info}</small>` : nothing}
      <div id=${bodyId} ?hidden=${collapsed}>${this.#fields(entry.item_template ?? [], values, path, set)}</div>
    </fieldset>`;
  }

  #list(entry: WizardEntry, values: WizardValues, path: string, set: (name: string, value: unknown) => void): TemplateResult {
    const key = path + entry.name;
    const items = Array.isArray(values[entry.name]) ? (values[entry.name] as WizardValues[]) : [];
    const template = entry.item_template ?? [];
    const setItems = (next: WizardValues[]) => set(entry.name, next);
    const error = this._errors[key];
    return html`<fieldset class="list" part="field" data-field=${key}>
      <legend>${entry.title ?? entry.name}${entry.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</legend>
      ${entry.info ? html`<small class="info">${entry.info}</small>` : nothing}
      ${items.map(
        (item, i) => html`<fieldset class="item">
          <legend>${entry.title ?? entry.name} ${i + 1}</legend>
          ${this.#fields(template, item, `${key}[${i}].`, (name, value) => setItems(items.map((it, j) => (j === i ? { ...it, [name]: value } : it))))}
          <button type="button" @click=${() => setItems(items.filter((_, j) => j !== i))}>Remove ${entry.title ?? entry.name} ${i + 1}</button>
        </fieldset>`,
      )}
      <button type="button" @click=${() => setItems([...items, initialValues(template, undefined)])}>Add ${entry.title ?? entry.name}</button>
      ${error ? html`<small class="error" role="alert">${error}</small>` : nothing}
    </fieldset>`;
  }

  #toggle(key: string): void {
    const next = new Set(this._collapsed);
    if (!next.delete(key)) next.add(key);
    this._collapsed = next;
  }

  /** A top-level field changed: keep its value, check it, and move untouched conditional defaults along. */
  #set(name: string, value: unknown): void {
    this.#touched.add(name);
    this.#markUnsaved(true);
    const values = { ...this._values, [name]: value };
    for (const field of valueFields(this.#entries())) {
      if (field.default_conditional_on?.name === name && !this.#touched.has(field.name)) {
        const fallback = defaultOf(field, values);
        const typed = fallback === undefined ? undefined : coerce(field, fallback);
        values[field.name] = typed && 'value' in typed ? typed.value : fallback;
      }
    }
    this._values = values;
    // Check as the user types: only the fields already showing an error, and this one.
    const { errors } = checkValues(this.#entries(), values);
    const shown: Record<string, string> = {};
    for (const [key, message] of Object.entries(errors)) {
      const changed = key === name || key.startsWith(`${name}[`);
      if (changed || key in this._errors) shown[key] = message;
    }
    this._errors = shown;
    this._status = {};
  }

  #markUnsaved(unsaved: boolean): void {
    if (unsaved === this.unsaved) return;
    this.unsaved = unsaved;
    if (this.app) fire(this, 'sb-settings-unsaved', { app: this.app, unsaved });
  }

  #save = async (event: Event): Promise<void> => {
    event.preventDefault();
    const host = this.#hosts.host;
    const app = this.app;
    if (!host || !app) return;
    const entries = this.#entries();
    const { values, errors } = checkValues(entries, this._values);
    Object.assign(errors, choiceErrors(entries, values, this._choices));
    this._errors = errors;
    if (Object.keys(errors).length > 0) {
      this._status = {
        error: `Fix ${Object.keys(errors).length === 1 ? 'the field' : `the ${Object.keys(errors).length} fields`} marked above, then save again.`,
      };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this._status = { saving: true, message: 'Saving…' };
    try {
      const installation = await host.registry.saveSettings(app, values);
      this.#touched = new Set();
      this.#markUnsaved(false);
      this._status = { message: 'Saved.' };
      fire(this, 'sb-settings-saved', { app, project: installation.project, settings: installation.settings });
    } catch (error) {
      this._status = { error: (error as Error).message };
    }
  };

  #loadChoices(host: Host, entries: readonly WizardEntry[]): void {
    const app = this.app!;
    const key = this.#loadedKey;
    for (const field of everyField(entries)) {
      if (field.type !== 'dropdown' || this._choices.has(field.name)) continue;
      if (Array.isArray(field.choices)) {
        this._choices = new Map(this._choices).set(field.name, staticOptions(field.choices));
        continue;
      }
      this._choices = new Map(this._choices).set(field.name, 'loading');
      host.choices(app, field.name).then(
        (options) => key === this.#loadedKey && (this._choices = new Map(this._choices).set(field.name, options)),
        (error: unknown) =>
          key === this.#loadedKey && (this._choices = new Map(this._choices).set(field.name, { error: messageOf(error) })),
      );
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-app-settings': SbAppSettings;
  }
}
