import { z } from 'zod';
import { mailFieldSourceSchema } from '../rest-target/mail-fields.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A REST system's base URL as an administrator enters it: https (or http on the loopback
 * interface, which only demo mode's SSRF allow-list lets through), no credentials, no query;
 * normalised without a trailing slash.
 */
export const siteUrlSchema = z
  .string()
  .trim()
  .max(300)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a URL' });
      return;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
      ctx.addIssue({ code: 'custom', message: 'must start with https://' });
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
    if (url.search || url.hash)
      ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment' });
  })
  .transform((value) => {
    const url = new URL(value);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  });

export const JIRA_ISSUE_KEY = /^[A-Z][A-Z0-9_]{0,19}-[1-9][0-9]{0,9}$/;

/** One mapping: a Jira field (custom fields only; summary and description are always filled). */
export const jiraFieldMappingSchema = z.object({
  field: z.string().regex(/^customfield_[0-9]{1,10}$/, 'is not a Jira custom field id (customfield_12345)'),
  source: mailFieldSourceSchema,
});

export const jiraSettingsSchema = z.object({
  siteUrl: siteUrlSchema,
  projectKey: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9_]{1,19}$/, 'is not a Jira project key'),
  issueType: z.string().trim().min(1, 'is required').max(60).default('Task'),
  /** A fixed issue every mail is added to as a comment; empty: each mail creates an issue. */
  issueKey: z
    .string()
    .trim()
    .toUpperCase()
    .max(32)
    .default('')
    .refine((key) => key === '' || JIRA_ISSUE_KEY.test(key), 'is not an issue key like MAIL-12'),
  fieldMapping: z
    .array(jiraFieldMappingSchema)
    .max(10)
    .default([])
    .refine((list) => new Set(list.map((entry) => entry.field)).size === list.length, 'names a field twice'),
});
export type JiraSettings = z.infer<typeof jiraSettingsSchema>;

/** What each user enters once: the Atlassian account's e-mail and an API token. */
export const jiraCredentialSchema = z.object({
  email: z.email().max(254),
  apiToken: z.string().min(1).max(1000),
});

export const jiraCreatedSchema = z.looseObject({ id: z.string(), key: z.string() });
export const jiraAttachmentSchema = z.looseObject({ id: z.string(), filename: z.string(), size: z.number() });
export const jiraIssueSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z
    .looseObject({
      summary: z.string().optional(),
      attachment: z.array(jiraAttachmentSchema).optional(),
    })
    .default({}),
});
export const jiraSearchSchema = z.looseObject({
  issues: z.array(jiraIssueSchema),
  nextPageToken: z.string().optional(),
});
export const jiraCommentsSchema = z.looseObject({
  total: z.number(),
  startAt: z.number(),
  comments: z.array(
    z.looseObject({
      id: z.string(),
      properties: z.array(z.looseObject({ key: z.string(), value: z.unknown() })).optional(),
    }),
  ),
});
export const jiraProjectSchema = z.looseObject({
  key: z.string(),
  name: z.string(),
  issueTypes: z.array(z.looseObject({ id: z.string(), name: z.string() })).default([]),
});
export const jiraMyselfSchema = z.looseObject({ accountId: z.string(), displayName: z.string().optional() });
