import escapeHtmlText from 'escape-html';

/**
 * The one HTML template of the server-rendered pages (the website, and the emulators' pages). Everything interpolated into an `html`
 * template is escaped unless it is itself the result of `html` (or explicitly `trustedHtml`), so
 * text from configuration, the database or the request can never inject markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/** Escapes text for HTML content and quoted attribute values (`& < > " '`). */
export function escapeHtml(text: string): string {
  return escapeHtmlText(text);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${userText}</p>\`` escapes `userText`; nested `html` stays as it is. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index += 1) {
    out += render(values[index]) + (strings[index + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** Marks a string as already-safe HTML. Only for markup written in our own code, never for input. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
