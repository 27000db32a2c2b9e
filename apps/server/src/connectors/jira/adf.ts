/**
 * Plain text to Atlassian Document Format, the rich-text JSON Jira Cloud's REST API v3 takes for
 * descriptions and comments: a `doc` of paragraphs, a blank line starting a new paragraph and a
 * single line break becoming a `hardBreak`. Jira refuses empty text nodes, so none are made.
 */
export interface AdfNode {
  type: string;
  text?: string;
  marks?: { type: string }[];
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

function paragraph(lines: string[], marks?: { type: string }[]): AdfNode | undefined {
  const content: AdfNode[] = [];
  for (const line of lines) {
    if (content.length > 0) content.push({ type: 'hardBreak' });
    if (line !== '') content.push({ type: 'text', text: line, ...(marks ? { marks } : {}) });
  }
  // Drop trailing breaks left by empty lines; a paragraph of nothing is left out.
  while (content.at(-1)?.type === 'hardBreak') content.pop();
  return content.length > 0 ? { type: 'paragraph', content } : undefined;
}

export function textParagraphs(text: string): AdfNode[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => paragraph(block.split('\n').map((line) => line.trimEnd())))
    .filter((node): node is AdfNode => node !== undefined);
}

/** A paragraph in italics, for lines Mailissa adds (who sent the mail, what was shortened). */
export function notePara(text: string): AdfNode | undefined {
  return paragraph([text], [{ type: 'em' }]);
}

export function adfDoc(nodes: (AdfNode | undefined)[]): AdfDoc {
  const content = nodes.filter((node): node is AdfNode => node !== undefined);
  // An empty document is valid ADF, but Jira refuses an empty comment: say so in words.
  return { type: 'doc', version: 1, content: content.length > 0 ? content : textParagraphs('(no text)') };
}
