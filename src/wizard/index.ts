export { type AppSettings, type SettingTarget, emptySettings, normalizeSettings, parseSettingPath, readTarget, targetOf, writeTarget } from './app-settings.js';
export { type WizardValues, type WizardCheck, checkValues, coerce, everyField, defaultSettings, saveValues, conditionHolds, defaultOf, initialValues, settingsFrom, shownFields, valueFields } from './wizard-form.js';
export { type ChoiceOption, type ChoiceValue, type SourceChoices, staticOptions } from './choices.js';
export { sourceOptions } from './source-options.js';
export { compileFilter, type Filter } from './filter.js';
export { fillTemplate } from './template.js';
