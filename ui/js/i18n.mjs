// Labels in English and Japanese: the language follows the browser (navigator.languages) until
// the person picks one, which is remembered. Pure module apart from applyTranslations(document).

import en from './messages_en.mjs';
import ja from './messages_ja.mjs';

export const LANGUAGES = { en, ja };

/** 'ja' or 'en': a stored choice first, then the first browser language we have, else 'en'. */
export function pickLanguage(stored, browserLanguages = []) {
  if (stored && LANGUAGES[stored]) return stored;
  for (const tag of browserLanguages) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES[base]) return base;
  }
  return 'en';
}

/** The message `key` in `lang` with {name} placeholders filled from `vars`; the key if unknown. */
export function translate(lang, key, vars = {}) {
  const text = LANGUAGES[lang]?.[key] ?? LANGUAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** The {placeholder} names of a message, sorted (the test compares both languages). */
export function placeholders(text) {
  return [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/**
 * Fills every element of `root` marked data-i18n (text), data-i18n-placeholder,
 * data-i18n-title or data-i18n-aria (aria-label) with its message in `lang`.
 */
export function applyTranslations(root, lang) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = translate(lang, el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = translate(lang, el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = translate(lang, el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) {
    el.setAttribute('aria-label', translate(lang, el.dataset.i18nAria));
  }
}
