import { expect } from 'chai';
import '../index.js';
import { createHost, ErrorCode, IndexedDbStore, MemoryStore, type Host, type RegistryStore } from '../../src/index.js';
import type { SbAppSettings } from './sb-app-settings.js';
import { axeViolations } from '../../test/browser/axe.js';
import { waitFor } from '../../test/browser/wait-for.js';

const baseUrl = 'https://apps.example.com/';
const projects = [
  { id: 'p-1', name: 'Cats' },
  { id: 'p-2', name: 'example project' },
  { id: 'p-3', name: 'Example two' },
  { id: 'p-4', name: 'Dogs' },
];

const everyType = {
  name: 'every-type',
  version: '1.0.0',
  wizard: {
    entries: [
      { name: 'label', title: 'Label', type: 'string', required: true, placeholder: 'a label…', info: 'Shown on the chart' },
      { name: 'count', title: 'Count', type: 'integer', default: 3, target: { field: 'hyperparams', section: 'General', name: 'count' } },
      { name: 'ratio', title: 'Ratio', type: 'float', target: { field: 'hyperparams', section: 'General', name: 'ratio', format: 'json' } },
      { name: 'mode', title: 'Mode', type: 'dropdown', choices: ['fast', 'exact'], default: 'fast' },
      {
        name: 'depth',
        title: 'Depth',
        type: 'integer',
        default_conditional_on: { name: 'mode', value: { fast: 2, exact: 8 } },
        target: { field: 'hyperparams', section: 'General', name: 'depth', format: 'json' },
      },
      { name: 'verbose', title: 'Verbose', type: 'checkbox', default: false },
      { name: 'notes', title: 'Notes', type: 'multiline_text' },
      {
        name: 'tags',
        title: 'Tag',
        type: 'list',
        item_template: [{ name: 'tag', title: 'Tag name', type: 'string', required: true }],
        target: { field: 'configuration', name: 'tags', format: 'json' },
      },
      {
        name: 'advanced',
        title: 'Advanced',
        type: 'group',
        collapsible: true,
        collapsibleTitleTemplate: 'Advanced (seed ${seed})',
        item_template: [{ name: 'seed', title: 'Seed', type: 'integer', default: 7 }],
      },
    ],
  },
};

let simpleApp: Record<string, unknown>;

async function setup(manifest: Record<string, unknown>, store: RegistryStore = new MemoryStore()) {
  const host = createHost({ project: 'p1', user: { id: 'u1' }, store, sources: { project: () => projects } });
  await host.ready;
  if (!host.registry.app(String(manifest['name']))) await host.registry.publish(manifest, { baseUrl });
  if (!host.registry.installation(String(manifest['name']))) await host.registry.install(String(manifest['name']));
  const form = document.createElement('sb-app-settings') as SbAppSettings;
  form.host = host;
  form.app = String(manifest['name']);
  document.body.append(form);
  await form.updateComplete;
  return { host, form, root: form.shadowRoot! };
}

const field = (root: ShadowRoot, name: string) => root.querySelector<HTMLElement>(`[data-field="${name}"]`);
const control = <T extends HTMLElement = HTMLInputElement>(root: ShadowRoot, name: string) =>
  field(root, name)!.querySelector<T>('input:not(.filter), select, textarea')!;

async function type(form: SbAppSettings, name: string, value: string | boolean): Promise<void> {
  const el = control(form.shadowRoot!, name);
  if (typeof value === 'boolean') {
    el.checked = value;
    el.dispatchEvent(new Event('change'));
  } else if (el instanceof HTMLSelectElement) {
    el.value = value;
    el.dispatchEvent(new Event('change'));
  } else {
    el.value = value;
    el.dispatchEvent(new Event('input'));
  }
  await form.updateComplete;
}

async function save(form: SbAppSettings): Promise<void> {
  form.shadowRoot!.querySelector('form')!.requestSubmit();
  await form.updateComplete;
}

describe('<sb-app-settings>', () => {
  let host: Host | undefined;
  let form: SbAppSettings | undefined;

  before(async () => {
    simpleApp = await (await fetch('/__import/simple-app.json')).json();
  });

  afterEach(() => {
    form?.remove();
    host?.destroy();
    form = undefined;
    host = undefined;
  });

  describe('the ClearML simple-app, as slotbridge import converts it', () => {
    let root: ShadowRoot;
    beforeEach(async () => {
      ({ host, form, root } = await setup(simpleApp));
    });

    it('shows the string field only while the boolean is checked', async () => {
      expect(field(root, 'boolean_field')).to.not.equal(null);
      expect(field(root, 'string_field')).to.equal(null);
      await type(form!, 'boolean_field', true);
      expect(control(root, 'string_field').placeholder).to.equal('a string...');
      expect(field(root, 'string_field')!.querySelector('.info')!.textContent).to.equal('Select a sting to be passed to the application');
      await type(form!, 'boolean_field', false);
      expect(field(root, 'string_field')).to.equal(null);
    });

    it('offers the projects whose name does not start with "example" (any case), by name, saving the id', async () => {
      const select = await waitFor(() => {
        const s = control<HTMLSelectElement>(root, 'a_project_field');
        return s && !s.disabled && s;
      }, 'the project choices');
      expect([...select.options].slice(1).map((o) => [o.textContent, o.value])).to.deep.equal([
        ['Cats', 'p-1'],
        ['Dogs', 'p-4'],
      ]);
      // autocomplete: a filter narrows the list
      const filter = field(root, 'a_project_field')!.querySelector<HTMLInputElement>('input.filter')!;
      filter.value = 'do';
      filter.dispatchEvent(new Event('input'));
      await form!.updateComplete;
      expect([...control<HTMLSelectElement>(root, 'a_project_field').options].slice(1).map((o) => o.textContent)).to.deep.equal(['Dogs']);
    });

    it('requires a project, then saves to the targets, hides no value, and reopens with what was saved', async () => {
      await waitFor(() => !control<HTMLSelectElement>(root, 'a_project_field').disabled, 'choices');
      await save(form!);
      expect(field(root, 'a_project_field')!.querySelector('.error')!.textContent).to.equal('Choose a Project is required.');
      expect(control(root, 'a_project_field').getAttribute('aria-invalid')).to.equal('true');
      expect(host!.registry.installation('simple-app')!.settings.hyperparams['General']?.['a_project_id']).to.equal(undefined);

      const unsaved: boolean[] = [];
      form!.addEventListener('sb-settings-unsaved', (e) => unsaved.push(e.detail.unsaved));
      await type(form!, 'boolean_field', true);
      // Edits not saved yet: said, and told the page (which holds off what runs with the saved settings).
      expect(form!.unsaved).to.equal(true);
      expect(form!.hasAttribute('unsaved')).to.equal(true);
      expect(root.querySelector('[role="status"]')!.textContent).to.equal('Not saved yet: runs use the saved settings.');
      await type(form!, 'string_field', 'hello');
      await type(form!, 'a_project_field', 'p-4');
      // The collapsible group starts collapsed; open it to reach the multiline text.
      const toggle = field(root, 'more_options_group')!.querySelector<HTMLButtonElement>('button.toggle')!;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      toggle.click();
      await form!.updateComplete;
      await type(form!, 'a_text_field', 'line 1\nline 2');
      const saved = new Promise<CustomEvent>((resolve) =>
        form!.addEventListener('sb-settings-saved', (e) => resolve(e as CustomEvent), { once: true }),
      );
      await save(form!);
      const event = await saved;
      const expected = {
        hyperparams: { General: { a_bool: 'true', a_string: 'hello', a_project_id: 'p-4' } },
        configuration: { text_blob: 'line 1\nline 2' },
      };
      expect(event.detail).to.deep.equal({ app: 'simple-app', project: 'p1', settings: expected });
      expect(form!.unsaved).to.equal(false);
      expect(unsaved).to.deep.equal([true, false], 'once when edited, once when saved');
      expect(host!.registry.installation('simple-app')!.settings).to.deep.equal(expected);

      // Unchecking hides the string: saving drops its value.
      await type(form!, 'boolean_field', false);
      await save(form!);
      await waitFor(
        () => host!.registry.installation('simple-app')!.settings.hyperparams['General']?.['a_string'] === undefined,
        'the hidden value removed',
      );

      form!.remove();
      const again = document.createElement('sb-app-settings') as SbAppSettings;
      again.host = host;
      again.app = 'simple-app';
      document.body.append(again);
      form = again;
      await again.updateComplete;
      expect(control(again.shadowRoot!, 'boolean_field').checked).to.equal(false);
      await waitFor(() => control<HTMLSelectElement>(again.shadowRoot!, 'a_project_field').value === 'p-4', 'the saved project selected');
    });

    it('has no axe violations, closed and open', async () => {
      await waitFor(() => !control<HTMLSelectElement>(root, 'a_project_field').disabled, 'choices');
      expect(await axeViolations(form!)).to.deep.equal([]);
      await type(form!, 'boolean_field', true);
      await save(form!);
      expect(await axeViolations(form!)).to.deep.equal([]);
    });
  });

  describe('every field type', () => {
    let root: ShadowRoot;
    beforeEach(async () => {
      ({ host, form, root } = await setup(everyType));
    });

    it('renders each type with its default, hints and placeholder', () => {
      expect(control(root, 'label').placeholder).to.equal('a label…');
      expect(control(root, 'label').getAttribute('aria-describedby')).to.equal('f-label-info');
      expect(control(root, 'count').value).to.equal('3');
      expect(control(root, 'count').inputMode).to.equal('numeric');
      expect(control(root, 'ratio').inputMode).to.equal('decimal');
      expect(control<HTMLSelectElement>(root, 'mode').value).to.equal('fast');
      expect(control(root, 'depth').value).to.equal('2');
      expect(control(root, 'verbose').type).to.equal('checkbox');
      expect(control(root, 'notes').tagName).to.equal('TEXTAREA');
      expect(field(root, 'tags')!.tagName).to.equal('FIELDSET');
      expect(field(root, 'advanced')!.querySelector('button.toggle')!.textContent.trim()).to.equal('Advanced (seed 7)');
    });

    it('says what is wrong next to the field as the user types, and clears it when fixed', async () => {
      await type(form!, 'count', 'three');
      expect(field(root, 'count')!.querySelector('.error')!.textContent).to.equal('Enter a whole number, such as 42.');
      expect(control(root, 'count').getAttribute('aria-describedby')).to.equal('f-count-error');
      await type(form!, 'ratio', '1e');
      expect(field(root, 'ratio')!.querySelector('.error')!.textContent).to.equal('Enter a number, such as 0.5.');
      await type(form!, 'count', '4');
      expect(field(root, 'count')!.querySelector('.error')).to.equal(null);
      await save(form!);
      expect(field(root, 'label')!.querySelector('.error')!.textContent).to.equal('Label is required.');
      expect(root.querySelector('[role="alert"]')!.textContent).to.match(/Fix the 2 fields/);
      expect(root.activeElement).to.equal(control(root, 'label'), 'focus moves to the first invalid field');
      expect(host!.registry.installation('every-type')!.settings.hyperparams['General']?.['count']).to.equal('3', 'nothing saved');
    });

    it('moves a conditional default along until the user sets the field', async () => {
      await type(form!, 'mode', 'exact');
      expect(control(root, 'depth').value).to.equal('8');
      await type(form!, 'depth', '5');
      await type(form!, 'mode', 'fast');
      expect(control(root, 'depth').value).to.equal('5');
    });

    it('saves each type in its format: str as text, json as the value, lists as records', async () => {
      await type(form!, 'label', 'L');
      await type(form!, 'ratio', '0.25');
      await type(form!, 'verbose', true);
      const add = [...field(root, 'tags')!.querySelectorAll('button')].find((b) => b.textContent === 'Add Tag')!;
      add.click();
      await form!.updateComplete;
      await save(form!);
      expect(field(root, 'tags[0].tag')!.querySelector('.error')!.textContent).to.equal('Tag name is required.');
      await type(form!, 'tags[0].tag', 'cat');
      await save(form!);
      await waitFor(() => root.querySelector('.status')!.textContent === 'Saved.', 'saved');
      expect(host!.registry.installation('every-type')!.settings).to.deep.equal({
        hyperparams: { General: { count: '3', ratio: 0.25, depth: 2 } },
        configuration: { label: 'L', mode: 'fast', verbose: 'true', tags: [{ tag: 'cat' }], seed: '7' },
      });
    });

    it('refuses a choice from outside a static list, in the registry too', async () => {
      const error = await host!.registry.saveSettings('every-type', { label: 'x', mode: 'slow' }).catch((e) => e);
      expect(error.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
      expect(error.message).to.match(/mode: Choose one of the listed options/);
      const unknown = await host!.registry.saveSettings('every-type', { label: 'x', colour: 'red' }).catch((e) => e);
      expect(unknown.code).to.equal(ErrorCode.INVALID_ARGUMENTS);
      expect(unknown.message).to.match(/no field named "colour"/);
    });

    it('has no axe violations with errors showing', async () => {
      await type(form!, 'count', 'x');
      await save(form!);
      expect(await axeViolations(form!)).to.deep.equal([]);
    });
  });

  it('keeps saved values across a reload (a new host on the same IndexedDB)', async () => {
    const db = `slotbridge-settings-${Date.now()}`;
    ({ host, form } = await setup(everyType, new IndexedDbStore(db)));
    await type(form, 'label', 'kept');
    await save(form);
    await waitFor(() => form!.shadowRoot!.querySelector('.status')!.textContent === 'Saved.', 'saved');
    form.remove();
    host.destroy();
    ({ host, form } = await setup(everyType, new IndexedDbStore(db)));
    expect(control(form.shadowRoot!, 'label').value).to.equal('kept');
  });

  it('tells a guest through a settings event', async () => {
    ({ host, form } = await setup(simpleApp));
    const settings = new Promise((resolve) => host!.on('settings:changed', resolve));
    await waitFor(() => !control<HTMLSelectElement>(form!.shadowRoot!, 'a_project_field').disabled, 'choices');
    await type(form, 'a_project_field', 'p-1');
    await save(form);
    expect(await settings).to.deep.include({ app: 'simple-app', project: 'p1' });
  });

  it('shows why choices cannot load when the platform lacks the source', async () => {
    const bare = createHost({ project: 'p1', user: { id: 'u1' }, store: new MemoryStore() });
    host = bare;
    await bare.registry.publish(simpleApp, { baseUrl });
    await bare.registry.install('simple-app');
    form = document.createElement('sb-app-settings') as SbAppSettings;
    form.host = bare;
    form.app = 'simple-app';
    document.body.append(form);
    const select = await waitFor(() => {
      const s = field(form!.shadowRoot!, 'a_project_field')?.querySelector('select');
      return s?.getAttribute('aria-invalid') === 'true' && s;
    }, 'the error');
    expect(select.textContent).to.match(/does not offer; pass createHost\(\{ sources: \{ project/);
  });
});
