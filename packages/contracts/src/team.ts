import { z } from 'zod';
import { categoryColorSchema, localisedTextSchema, visibilityEntrySchema } from './admin-targets.js';
import { safeText } from './text.js';

// Mailissa Team (issue 9): teams in the portal, the shared state of a mail in the add-in, the
// dashboard. Decisions 050–052.

// ---- Portal: teams ------------------------------------------------------------------------------

export const teamMemberEntrySchema = visibilityEntrySchema;
export type TeamMemberEntry = z.infer<typeof teamMemberEntrySchema>;

export const adminTeamSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  sharedMailbox: z.string().nullable(),
  members: z.array(teamMemberEntrySchema),
  categoryIds: z.array(z.uuid()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AdminTeam = z.infer<typeof adminTeamSchema>;
export const adminTeamListResponseSchema = z.object({ teams: z.array(adminTeamSchema) });
export const adminTeamResponseSchema = z.object({ team: adminTeamSchema });

/** `POST /portal/api/teams`, `PUT /portal/api/teams/:id` */
export const teamBodySchema = z.object({
  name: safeText({ name: true }).trim().min(1, 'is required').max(128),
  members: z.array(teamMemberEntrySchema).max(500),
  sharedMailbox: z.email('must be an e-mail address').max(320).nullable(),
  /** Categories of the module `team` (portal → Categories). */
  categoryIds: z.array(z.uuid()).max(100),
});
export type TeamBody = z.infer<typeof teamBodySchema>;

// ---- Portal: dashboard --------------------------------------------------------------------------

export const teamStatusSchema = z.enum(['open', 'pending', 'done']);
export type TeamStatus = z.infer<typeof teamStatusSchema>;

const statusCountsSchema = z.object({
  open: z.number().int(),
  pending: z.number().int(),
  done: z.number().int(),
});

export const teamDashboardSchema = z.object({
  team: z.object({ id: z.uuid(), name: z.string() }),
  counts: statusCountsSchema,
  byCategory: z.array(
    z.object({
      categoryId: z.uuid(),
      name: localisedTextSchema,
      color: categoryColorSchema,
      counts: statusCountsSchema,
    }),
  ),
  byAssignee: z.array(
    z.object({ userId: z.uuid().nullable(), displayName: z.string().nullable(), counts: statusCountsSchema }),
  ),
  /** One point per day (UTC) of the last 30, oldest first: mails first seen and mails done. */
  days: z.array(z.object({ day: z.iso.date(), seen: z.number().int(), done: z.number().int() })),
  /** Median time from first seen to done, of the mails done in the last 30 days; null without any. */
  medianSecondsToDone: z.number().nullable(),
});
export type TeamDashboard = z.infer<typeof teamDashboardSchema>;

// ---- Add-in: teams and members ------------------------------------------------------------------

export const teamPersonSchema = z.object({ userId: z.uuid(), displayName: z.string(), email: z.string() });
export type TeamPerson = z.infer<typeof teamPersonSchema>;

export const teamCategorySchema = z.object({ id: z.uuid(), name: z.string(), color: categoryColorSchema });
export type TeamCategory = z.infer<typeof teamCategorySchema>;

export const myTeamSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  sharedMailbox: z.string().nullable(),
  categories: z.array(teamCategorySchema),
  /** Members who hold a Team licence: whom a mail can be assigned to and who can be mentioned. */
  members: z.array(teamPersonSchema),
});
export type MyTeam = z.infer<typeof myTeamSchema>;

/** `GET /api/team/teams?lang=` */
export const myTeamsQuerySchema = z.object({ lang: z.enum(['en', 'de']).optional() });
export const myTeamsResponseSchema = z.object({
  user: z.object({ userId: z.uuid(), displayName: z.string() }),
  teams: z.array(myTeamSchema),
  /** Notes mentioning the user they have not opened yet (the badge). */
  unseenMentions: z.number().int(),
});
export type MyTeams = z.infer<typeof myTeamsResponseSchema>;

// ---- Add-in: one mail's team state --------------------------------------------------------------

export const teamParamsSchema = z.object({ teamId: z.uuid() });
export const teamMailParamsSchema = z.object({ teamId: z.uuid(), mailId: z.uuid() });
export const teamMailCategoryParamsSchema = teamMailParamsSchema.extend({ categoryId: z.uuid() });
export const teamNoteParamsSchema = teamMailParamsSchema.extend({ noteId: z.uuid() });

/** `POST /api/team/teams/:teamId/mails`: the mail as Office.js describes it (never its body). */
export const openTeamMailBodySchema = z.object({
  internetMessageId: safeText().trim().min(1, 'is required').max(998),
  subject: safeText().max(998),
  from: z.object({
    name: safeText().max(256),
    address: safeText().trim().max(320),
  }),
  /** Absent or null when the host does not say. */
  receivedAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type OpenTeamMailBody = z.infer<typeof openTeamMailBodySchema>;

export const teamNoteSchema = z.object({
  id: z.uuid(),
  author: z.object({ userId: z.uuid().nullable(), displayName: z.string() }),
  text: z.string(),
  mentions: z.array(z.uuid()),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TeamNote = z.infer<typeof teamNoteSchema>;

export const teamActivitySchema = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
  action: z.enum([
    'first_seen',
    'category_added',
    'category_removed',
    'assigned',
    'unassigned',
    'status_changed',
    'note_added',
    'note_edited',
  ]),
  /** What the action concerns, readable: a category's name, a person, a status. */
  value: z.string().nullable(),
});
export type TeamActivity = z.infer<typeof teamActivitySchema>;

export const teamMailSummarySchema = z.object({
  id: z.uuid(),
  teamId: z.uuid(),
  internetMessageId: z.string(),
  subject: z.string(),
  sender: z.object({ name: z.string(), address: z.string() }),
  receivedAt: z.iso.datetime().nullable(),
  firstSeenAt: z.iso.datetime(),
  status: teamStatusSchema,
  categoryIds: z.array(z.uuid()),
  assignee: z.object({ userId: z.uuid(), displayName: z.string() }).nullable(),
  doneAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
});
export type TeamMailSummary = z.infer<typeof teamMailSummarySchema>;

export const teamMailSchema = teamMailSummarySchema.extend({
  notes: z.array(teamNoteSchema),
  history: z.array(teamActivitySchema),
  /** Other members who have this mail open now (heartbeat within the last 30 s). */
  present: z.array(z.object({ userId: z.uuid(), displayName: z.string() })),
});
export type TeamMail = z.infer<typeof teamMailSchema>;
export const teamMailResponseSchema = z.object({ mail: teamMailSchema });

/** `GET /api/team/teams/:teamId/mails` */
export const teamMailListQuerySchema = z.object({
  status: teamStatusSchema.optional(),
  categoryId: z.uuid().optional(),
  /** `me`, or a member's user id. */
  assignee: z.union([z.literal('me'), z.uuid()]).optional(),
  /** Searches subject and sender. */
  q: safeText().trim().max(100).optional(),
  lang: z.enum(['en', 'de']).optional(),
});
export const teamMailListResponseSchema = z.object({ mails: z.array(teamMailSummarySchema) });

/** `POST /api/team/teams/:teamId/mails/:mailId/categories` */
export const addTeamCategoryBodySchema = z.object({ categoryId: z.uuid() });

/** `PATCH /api/team/teams/:teamId/mails/:mailId` */
/** Either or both; a member left out stays as it is. */
export const updateTeamMailBodySchema = z.object({
  assigneeUserId: z.uuid().nullable().optional(),
  status: teamStatusSchema.optional(),
});
export type UpdateTeamMailBody = z.infer<typeof updateTeamMailBodySchema>;

/** `POST …/notes`, `PUT …/notes/:noteId` (with `If-Match: "<version>"`). */
export const teamNoteBodySchema = z.object({
  text: safeText({ multiline: true }).trim().min(1, 'is required').max(4000),
  /** Members the text mentions with `@`; each gets a mail and a badge. */
  mentions: z.array(z.uuid()).max(50).default([]),
});
export type TeamNoteBody = z.infer<typeof teamNoteBodySchema>;
export const teamNoteIfMatchHeadersSchema = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d{1,9}"?$/, 'must be the note\'s version, e.g. "3"')
    .optional(),
});

/** `POST …/presence`: the heartbeat; answers who else has the mail open. */
export const teamPresenceResponseSchema = z.object({
  present: z.array(z.object({ userId: z.uuid(), displayName: z.string() })),
});

/** What the event stream (`GET /api/team/teams/:teamId/events`) sends, as `data:` JSON lines. */
export const teamEventSchema = z.object({
  type: z.enum(['mail', 'presence', 'team']),
  teamId: z.uuid(),
  teamMailId: z.uuid().nullable(),
  /** The user whose change it was (null: Mailissa itself, e.g. Outlook's categories). */
  actorUserId: z.uuid().nullable(),
});
export type TeamEvent = z.infer<typeof teamEventSchema>;

/** `GET /api/team/teams/:teamId/mails/:mailId/item`: the mail in the caller's mailbox (Graph REST id). */
export const teamMailItemResponseSchema = z.object({ restId: z.string() });
