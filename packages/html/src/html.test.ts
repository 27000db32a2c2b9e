import { describe, expect, it } from 'vitest';
import { html, trustedHtml } from './index.js';

describe('html', () => {
  it('escapes interpolated text and keeps nested html', () => {
    const name = `<script>alert("x")</script>&'`;
    const out = html`<p title="${name}">${name}${html`<b>${'<i>'}</b>`}${trustedHtml('<br>')}</p>`;
    expect(out.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>&lt;i&gt;</b><br></p>',
    );
  });

  it('renders arrays, numbers and skips null, undefined and false', () => {
    expect(html`${[1, 'a<', null, undefined, false, html`<i></i>`]}`.value).toBe('1a&lt;<i></i>');
  });
});
