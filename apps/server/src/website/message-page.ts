import { html, type PageContent } from './layout.js';

export interface MessagePageOptions {
  title: string;
  text: string;
  /** One button that POSTs a form: a confirmation or unsubscribe link is never acted on by a GET. */
  action?: { url: string; label: string; fields: Record<string, string> };
  /** A link onward: back to a form, or for a new link. */
  followUp?: { href: string; label: string };
  /** The narrow column of the registration pages. */
  narrow?: boolean;
}

/** A short site page with one message and, where something may be done, one button or link. */
export function messagePage(options: MessagePageOptions): PageContent {
  const { action, followUp } = options;
  return {
    title: options.title,
    main: html`<section class="wrap page${options.narrow ? ' narrow' : ''}">
  <h1>${options.title}</h1>
  <p class="notice" role="status">${options.text}</p>
  ${
    action
      ? html`<form class="form" method="post" action="${action.url}">
    ${Object.entries(action.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
    <button type="submit" class="button button-primary">${action.label}</button>
  </form>`
      : ''
  }
  ${followUp ? html`<p><a href="${followUp.href}">${followUp.label}</a></p>` : ''}
</section>`,
  };
}
