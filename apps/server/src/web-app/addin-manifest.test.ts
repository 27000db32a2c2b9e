import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADDIN_MANIFEST_VERSION, addinIdFor, buildAddinManifest } from './addin-manifest.js';

/**
 * A small, strict XML reader for the manifest: elements, attributes, text; it fails on anything that
 * is not well-formed (mismatched or unclosed tags, bad attributes, stray `<` or `&`). No XSD for Office
 * add-in manifests ships in an npm package, so the structure of docs/microsoft-365.md §9 is checked here instead.
 */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function decodeEntities(value: string): string {
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(value)) throw new Error(`Bad entity in ${value}`);
  return value
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/<!--[\s\S]*?-->/g, '');
  const tagPattern = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/g;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let position = 0;
  for (const match of body.matchAll(tagPattern)) {
    const between = body.slice(position, match.index);
    if (between.includes('<') || between.includes('>')) throw new Error(`Malformed markup near: ${between}`);
    const current = stack.at(-1);
    if (!current) throw new Error('Unbalanced document');
    current.text += decodeEntities(between);
    position = (match.index ?? 0) + match[0].length;
    const [, closing, name = '', attributeText = '', selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of attributeText.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) {
      const key = attribute[1] ?? '';
      if (key in attributes) throw new Error(`Duplicate attribute ${key} on ${name}`);
      attributes[key] = decodeEntities(attribute[2] ?? '');
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    current.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`Unclosed <${stack.at(-1)?.name}>`);
  if (body.slice(position).trim()) throw new Error('Content after the root element');
  const [document] = root.children;
  if (!document || root.children.length !== 1) throw new Error('Exactly one root element expected');
  return document;
}

function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.filter((candidate) => candidate.name === name);
  if (found.length !== 1) throw new Error(`${element.name} has ${found.length} <${name}>`);
  return found[0] as XmlElement;
}

function path(element: XmlElement, ...names: string[]): XmlElement {
  return names.reduce(child, element);
}

function all(element: XmlElement, name: string): XmlElement[] {
  return [element, ...element.children.flatMap((candidate) => all(candidate, name))].filter(
    (candidate) => candidate.name === name,
  );
}

const config: Parameters<typeof buildAddinManifest>[0] = {
  publicBaseUrl: 'https://mail.example.org',
  entra: {
    clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    clientSecret: 'secret',
    authorityBase: 'https://login.microsoftonline.com',
  },
};

describe('the add-in XML manifest', () => {
  const xml = buildAddinManifest(config);
  const root = parseXml(xml);

  it('is a MailApp with the Office namespaces of docs/microsoft-365.md §9.1', () => {
    expect(root.name).toBe('OfficeApp');
    expect(root.attributes).toMatchObject({
      xmlns: 'http://schemas.microsoft.com/office/appforoffice/1.1',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xmlns:bt': 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
      'xsi:type': 'MailApp',
    });
  });

  it('has the base elements in exactly the order of docs/microsoft-365.md §9.2', () => {
    const order = [
      'Id',
      'AlternateId',
      'Version',
      'ProviderName',
      'DefaultLocale',
      'DisplayName',
      'Description',
      'IconUrl',
      'HighResolutionIconUrl',
      'SupportUrl',
      'AppDomains',
      'Hosts',
      'Requirements',
      'FormSettings',
      'Permissions',
      'Rule',
      'DisableEntityHighlighting',
      'VersionOverrides',
    ];
    const names = root.children.map((element) => element.name);
    const positions = names.map((name) => order.indexOf(name));
    expect(positions).not.toContain(-1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(names).size).toBe(names.length);
    for (const required of ['Id', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description']) {
      expect(names).toContain(required);
    }
    for (const required of [
      'Hosts',
      'Requirements',
      'FormSettings',
      'Permissions',
      'Rule',
      'VersionOverrides',
    ]) {
      expect(names).toContain(required);
    }
  });

  it('keeps the limits of docs/microsoft-365.md §9.3', () => {
    expect(child(root, 'Id').text).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(child(root, 'Version').text).toBe(ADDIN_MANIFEST_VERSION);
    expect(child(root, 'Version').text).toMatch(/^\d{1,5}(\.\d{1,5}){0,3}$/);
    expect(child(root, 'ProviderName').text.length).toBeLessThanOrEqual(125);
    expect(child(root, 'DisplayName').attributes.DefaultValue?.length).toBeLessThanOrEqual(125);
    expect(child(root, 'Description').attributes.DefaultValue?.length).toBeLessThanOrEqual(250);
    // Item multi-select needs read/write mailbox (docs/decisions/146); the only level above ReadItem
    // the schema knows besides ReadWriteItem.
    expect(child(root, 'Permissions').text).toBe('ReadWriteMailbox');
    expect(path(root, 'Hosts', 'Host').attributes.Name).toBe('Mailbox');
    const form = path(root, 'FormSettings', 'Form');
    expect(form.attributes['xsi:type']).toBe('ItemRead');
    const height = Number(path(form, 'DesktopSettings', 'RequestedHeight').text);
    expect(height).toBeGreaterThanOrEqual(32);
    expect(height).toBeLessThanOrEqual(450);
    const rule = path(root, 'Rule', 'Rule');
    expect(rule.attributes).toMatchObject({ 'xsi:type': 'ItemIs', ItemType: 'Message', FormType: 'Read' });
  });

  it('takes every URL from the public base URL and the Entra application from the configuration', () => {
    const urls = [
      child(root, 'IconUrl').attributes.DefaultValue,
      child(root, 'HighResolutionIconUrl').attributes.DefaultValue,
      child(root, 'SupportUrl').attributes.DefaultValue,
      path(root, 'FormSettings', 'Form', 'DesktopSettings', 'SourceLocation').attributes.DefaultValue,
      ...all(root, 'bt:Image')
        .map((image) => image.attributes.DefaultValue)
        .filter((value) => value !== undefined),
      ...all(root, 'bt:Url').map((url) => url.attributes.DefaultValue),
    ];
    expect(urls.length).toBeGreaterThan(8);
    for (const url of urls) expect(url).toMatch(/^https:\/\/mail\.example\.org\//);
    expect(xml).not.toContain('localhost');
    const info = path(root, 'VersionOverrides', 'VersionOverrides', 'WebApplicationInfo');
    expect(child(info, 'Id').text).toBe(config.entra.clientId);
    expect(child(info, 'Resource').text).toBe(`api://mail.example.org/${config.entra.clientId}`);
    expect(info.children.map((element) => element.name)).toEqual(['Id', 'Resource', 'Scopes']);
  });

  it('nests VersionOverrides 1.1 in 1.0 with the child order of docs/microsoft-365.md §9.4', () => {
    const outer = child(root, 'VersionOverrides');
    expect(outer.attributes).toMatchObject({
      xmlns: 'http://schemas.microsoft.com/office/mailappversionoverrides',
      'xsi:type': 'VersionOverridesV1_0',
    });
    expect(outer.children.map((element) => element.name)).toEqual([
      'Requirements',
      'Hosts',
      'Resources',
      'VersionOverrides',
    ]);
    const inner = child(outer, 'VersionOverrides');
    expect(inner.attributes).toMatchObject({
      xmlns: 'http://schemas.microsoft.com/office/mailappversionoverrides/1.1',
      'xsi:type': 'VersionOverridesV1_1',
    });
    expect(inner.children.map((element) => element.name)).toEqual([
      'Requirements',
      'Hosts',
      'Resources',
      'WebApplicationInfo',
    ]);
    expect(path(inner, 'Requirements', 'bt:Sets').attributes.DefaultMinVersion).toBe('1.5');
  });

  it('has one ribbon button on the read surface that opens a pinnable task pane for several mails (v1.1 only)', () => {
    for (const [overrides, pinnable] of [
      [child(root, 'VersionOverrides'), false],
      [path(root, 'VersionOverrides', 'VersionOverrides'), true],
    ] as const) {
      const host = path(overrides, 'Hosts', 'Host');
      expect(host.attributes['xsi:type']).toBe('MailHost');
      const extension = path(host, 'DesktopFormFactor', 'ExtensionPoint');
      expect(extension.attributes['xsi:type']).toBe('MessageReadCommandSurface');
      const tab = child(extension, 'OfficeTab');
      expect(tab.attributes.id).toBe('TabDefault');
      const group = child(tab, 'Group');
      expect(group.children.map((element) => element.name)).toEqual(['Label', 'Control']);
      const button = child(group, 'Control');
      expect(button.attributes['xsi:type']).toBe('Button');
      expect(button.children.map((element) => element.name)).toEqual(['Label', 'Supertip', 'Icon', 'Action']);
      expect(child(button, 'Supertip').children.map((element) => element.name)).toEqual([
        'Title',
        'Description',
      ]);
      expect(
        child(button, 'Icon')
          .children.map((image) => image.attributes.size)
          .sort(),
      ).toEqual(['16', '32', '80']);
      const action = child(button, 'Action');
      expect(action.attributes['xsi:type']).toBe('ShowTaskpane');
      // The schema's sequence: SourceLocation, SupportsPinning, SupportsNoItemContext, SupportsMultiSelect.
      expect(action.children.map((element) => element.name)).toEqual(
        pinnable ? ['SourceLocation', 'SupportsPinning', 'SupportsMultiSelect'] : ['SourceLocation'],
      );
      if (pinnable) {
        expect(child(action, 'SupportsPinning').text).toBe('true');
        expect(child(action, 'SupportsMultiSelect').text).toBe('true');
      }
    }
  });

  it('resolves every resid to a resource of at most 32 characters, with strings within their limits', () => {
    for (const overrides of [
      child(root, 'VersionOverrides'),
      path(root, 'VersionOverrides', 'VersionOverrides'),
    ]) {
      const resources = child(overrides, 'Resources');
      const ids = new Set(
        resources.children.flatMap((group) => group.children.map((resource) => resource.attributes.id)),
      );
      const descendants = (element: XmlElement): XmlElement[] => [
        element,
        ...element.children.flatMap(descendants),
      ];
      const residUsers = descendants(child(overrides, 'Hosts'));
      const resids = residUsers
        .map((element) => element.attributes.resid)
        .filter((value) => value !== undefined);
      expect(resids.length).toBeGreaterThan(6);
      for (const resid of resids) {
        expect(resid.length).toBeLessThanOrEqual(32);
        expect(ids.has(resid)).toBe(true);
      }
      for (const value of child(resources, 'bt:ShortStrings').children) {
        expect(value.attributes.DefaultValue?.length).toBeLessThanOrEqual(125);
      }
      for (const value of child(resources, 'bt:LongStrings').children) {
        expect(value.attributes.DefaultValue?.length).toBeLessThanOrEqual(250);
        expect(child(value, 'bt:Override').attributes.Locale).toBe('de-DE');
      }
    }
  });

  it('uses read/write mailbox for the selection only: the add-in calls none of the APIs it opens besides', async () => {
    // What ReadWriteMailbox adds over ReadItem (docs/decisions/146): EWS, callback tokens, writing
    // items, the master category list. The add-in reads mails through our API; Graph decides there.
    const mailboxWide =
      /makeEwsRequestAsync|getCallbackTokenAsync|getUserIdentityTokenAsync|masterCategories|categories\.(addAsync|removeAsync)|saveAsync|setAsync|addFileAttachment|addItemAttachment|removeAttachmentAsync|displayNewMessageForm|displayReplyForm|displayReplyAllForm/;
    const addinDir = fileURLToPath(new URL('../../../web/src/addin/', import.meta.url));
    const files = (await readdir(addinDir, { recursive: true })).filter(
      (name) => /\.tsx?$/.test(name) && !name.endsWith('.test.ts'),
    );
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const name of files) {
      const source = await readFile(join(addinDir, name), 'utf8');
      if (mailboxWide.test(source)) offenders.push(name);
    }
    expect(offenders).toEqual([]);
  });

  it('derives a stable add-in id per public URL', () => {
    expect(addinIdFor('https://mail.example.org')).toBe(addinIdFor('https://mail.example.org'));
    expect(addinIdFor('https://mail.example.org')).not.toBe(addinIdFor('https://staging.example.org'));
    expect(addinIdFor('https://mail.example.org')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab]/);
  });

  it('escapes configuration values', () => {
    const odd = buildAddinManifest({ ...config, publicBaseUrl: 'https://example.org/a&b' });
    expect(() => parseXml(odd)).not.toThrow();
    expect(odd).toContain('https://example.org/a&amp;b/addin/');
  });
});
