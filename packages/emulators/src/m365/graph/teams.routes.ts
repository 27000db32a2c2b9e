import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import type { SeedChannel, SeedTeam } from '../seed/collaboration-seed.js';
import { groupDriveId } from '../seed/drive-seed.js';
import type { ChannelMessageRecord } from './collaboration-store.js';
import { driveItemJson } from './drive-json.js';
import { type GraphPrincipal, PERMISSIONS, type Permission } from './graph-auth.js';
import { GraphError } from './graph-errors.js';
import { principalOf, requirePermission, sendGraphJson } from './graph-request.js';

const teamParams = z.object({ team: z.string().min(1).max(100) });
const channelParams = teamParams.extend({ channel: z.string().min(1).max(200) });
const messageParams = channelParams.extend({ message: z.string().min(1).max(40) });

const attachmentBody = z.looseObject({
  id: z.string().min(1).max(200),
  contentType: z.string().min(1).max(200),
  contentUrl: z.string().max(4000).nullable().optional(),
  name: z.string().max(400).nullable().optional(),
  content: z.string().max(100_000).nullable().optional(),
});
const messageBody = z.looseObject({
  subject: z.string().max(400).nullable().optional(),
  body: z.looseObject({
    contentType: z.enum(['text', 'html']).optional(),
    content: z.string().max(100_000),
  }),
  attachments: z.array(attachmentBody).max(50).optional(),
});

/** Where the emulator pretends Teams' web client is; like the drives' SharePoint hosts, never fetched. */
const TEAMS_WEB = 'https://teams.cloud.example';

/**
 * Teams (docs/microsoft-365.md §7.1, §7.4): teams of Microsoft 365 groups, their channels, each
 * channel's files folder in the group's library, and channel messages. A delegated caller reaches
 * only teams whose group they belong to; posting a message is delegated only, as in Graph.
 */
export const teamsRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (app, { context }) => {
  const store = context.collaboration;
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  const isMember = (principal: GraphPrincipal, groupId: string) =>
    principal.kind === 'delegated' &&
    context.directory
      .transitiveGroupsOf(principal.tenantId, principal.userId)
      .some((group) => group.id === groupId);

  /** A team the caller may reach with the permission the operation needs (each has its own, as in Graph). */
  function teamFor(
    principal: GraphPrincipal,
    teamId: string,
    permission: Permission = PERMISSIONS.readTeams,
  ): SeedTeam {
    requirePermission(principal, permission, 'teams');
    const team = store.team(principal.tenantId, teamId);
    if (!team) throw new GraphError(404, 'NotFound', `No team found with Group Id ${teamId}.`);
    if (principal.kind === 'delegated' && !isMember(principal, team.groupId)) {
      throw new GraphError(403, 'Forbidden', 'The user is not a member of this team.');
    }
    return team;
  }

  function channelFor(
    principal: GraphPrincipal,
    teamId: string,
    channelId: string,
    permission: Permission = PERMISSIONS.readChannels,
  ) {
    const team = teamFor(principal, teamId, permission);
    const channel = store.channel(team, channelId);
    if (!channel) throw new GraphError(404, 'NotFound', 'Channel not found.');
    return { team, channel };
  }

  const teamJson = (team: SeedTeam) => {
    const group = context.directory.group(team.tenantId, team.groupId);
    return {
      id: team.groupId,
      createdDateTime: group?.createdDateTime ?? null,
      displayName: group?.displayName ?? '',
      description: group?.description ?? null,
      internalId: `19:${team.groupId.replaceAll('-', '')}@thread.tacv2`,
      classification: null,
      specialization: 'none',
      visibility: (group?.visibility ?? 'private').toLowerCase(),
      webUrl: `${TEAMS_WEB}/l/team/${encodeURIComponent(`19:${team.groupId.replaceAll('-', '')}@thread.tacv2`)}/conversations?groupId=${team.groupId}&tenantId=${team.tenantId}`,
      isArchived: false,
      tenantId: team.tenantId,
    };
  };

  const channelJson = (team: SeedTeam, channel: SeedChannel) => ({
    id: channel.id,
    createdDateTime: '2026-01-05T08:00:00Z',
    displayName: channel.displayName,
    description: channel.description,
    isFavoriteByDefault: null,
    email: '',
    tenantId: team.tenantId,
    webUrl: `${TEAMS_WEB}/l/channel/${encodeURIComponent(channel.id)}/${encodeURIComponent(channel.displayName)}?groupId=${team.groupId}&tenantId=${team.tenantId}`,
    membershipType: 'standard',
  });

  const messageJson = (message: ChannelMessageRecord) => {
    const user = context.directory.userById(message.fromUserId);
    const team = store.team(user?.tenantId ?? '', message.teamId);
    return {
      id: message.id,
      replyToId: null,
      etag: message.id,
      messageType: 'message',
      createdDateTime: message.createdDateTime,
      lastModifiedDateTime: message.createdDateTime,
      lastEditedDateTime: null,
      deletedDateTime: null,
      subject: message.subject,
      summary: null,
      chatId: null,
      importance: 'normal',
      locale: 'en-us',
      webUrl: `${TEAMS_WEB}/l/message/${encodeURIComponent(message.channelId)}/${message.id}?groupId=${message.teamId}&tenantId=${team?.tenantId ?? ''}&createdTime=${Date.parse(message.createdDateTime)}&parentMessageId=${message.id}`,
      policyViolation: null,
      eventDetail: null,
      from: {
        application: null,
        device: null,
        user: {
          '@odata.type': '#microsoft.graph.teamworkUserIdentity',
          id: message.fromUserId,
          displayName: user?.displayName ?? null,
          userIdentityType: 'aadUser',
          tenantId: user?.tenantId ?? null,
        },
      },
      body: message.body,
      channelIdentity: { teamId: message.teamId, channelId: message.channelId },
      attachments: message.attachments.map((attachment) => ({
        ...attachment,
        content: null,
        thumbnailUrl: null,
        teamsAppId: null,
      })),
      mentions: [],
      reactions: [],
    };
  };

  app.get(
    '/me/joinedTeams',
    { schema: { ...schemaBase, summary: 'Graph: the teams the signed-in user is a member of' } },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'delegated') {
        throw new GraphError(
          400,
          'BadRequest',
          '/me request is only valid with delegated authentication flow.',
        );
      }
      requirePermission(principal, PERMISSIONS.readTeams, 'teams');
      const teams = store.teamsOf(principal.tenantId).filter((team) => isMember(principal, team.groupId));
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#teams`,
        '@odata.count': teams.length,
        value: teams.map(teamJson),
      });
    },
  );

  app.get(
    '/teams',
    { schema: { ...schemaBase, summary: 'Graph: every team of the organisation' } },
    async (request, reply) => {
      const principal = principalOf(request);
      requirePermission(principal, PERMISSIONS.readTeams, 'teams');
      const teams = store.teamsOf(principal.tenantId);
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#teams`,
        value: teams.map((team) => {
          const { webUrl: _webUrl, internalId: _internalId, ...basic } = teamJson(team);
          return basic;
        }),
      });
    },
  );

  app.get(
    '/teams/:team',
    { schema: { ...schemaBase, summary: 'Graph: a team', params: teamParams } },
    async (request, reply) =>
      sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#teams/$entity`,
        ...teamJson(teamFor(principalOf(request), request.params.team)),
      }),
  );

  app.get(
    '/teams/:team/channels',
    { schema: { ...schemaBase, summary: "Graph: a team's channels", params: teamParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      const team = teamFor(principal, request.params.team, PERMISSIONS.readChannels);
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#teams('${team.groupId}')/channels`,
        '@odata.count': team.channels.length,
        value: team.channels.map((channel) => channelJson(team, channel)),
      });
    },
  );

  app.get(
    '/teams/:team/channels/:channel',
    { schema: { ...schemaBase, summary: 'Graph: a channel', params: channelParams } },
    async (request, reply) => {
      const { team, channel } = channelFor(principalOf(request), request.params.team, request.params.channel);
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#teams('${team.groupId}')/channels/$entity`,
        ...channelJson(team, channel),
      });
    },
  );

  app.get(
    '/teams/:team/channels/:channel/filesFolder',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: the folder of a channel's files in the group's library",
        params: channelParams,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { team, channel } = channelFor(
        principal,
        request.params.team,
        request.params.channel,
        PERMISSIONS.readFiles,
      );
      const drive = await context.drives.driveById(groupDriveId(team.groupId));
      if (!drive) throw new GraphError(404, 'NotFound', 'The team has no document library.');
      // Teams creates the folder when the channel's Files tab is first opened; here on first ask.
      const { item } = await context.drives.createFolder(
        drive,
        drive.rootId,
        channel.displayName,
        'replace',
        'System Account',
      );
      return sendGraphJson(reply, driveItemJson(context, drive, item));
    },
  );

  app.post(
    '/teams/:team/channels/:channel/messages',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: post a message in a channel (delegated only)',
        params: channelParams,
        body: messageBody,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'delegated') {
        throw new GraphError(
          403,
          'Forbidden',
          'Sending channel messages with application permissions is only supported for migration.',
        );
      }
      const { team, channel } = channelFor(
        principal,
        request.params.team,
        request.params.channel,
        PERMISSIONS.sendChannelMessage,
      );
      const body = request.body;
      const contentType = body.body.contentType ?? 'text';
      if (body.body.content.trim() === '' && (body.attachments ?? []).length === 0) {
        throw new GraphError(400, 'BadRequest', 'A message needs a body or an attachment.');
      }
      for (const attachment of body.attachments ?? []) {
        // Teams shows an attachment only where the HTML places it: an unplaced one is refused.
        if (contentType !== 'html' || !body.body.content.includes(`<attachment id="${attachment.id}">`)) {
          throw new GraphError(
            400,
            'BadRequest',
            `Attachment '${attachment.id}' is not referenced in the message body by an <attachment id="..."> tag.`,
          );
        }
        if (attachment.contentType === 'reference') {
          let url: URL | undefined;
          try {
            url = new URL(attachment.contentUrl ?? '');
          } catch {
            url = undefined;
          }
          if (url?.protocol !== 'https:') {
            throw new GraphError(
              400,
              'BadRequest',
              `Attachment '${attachment.id}' of type reference needs an https contentUrl.`,
            );
          }
        }
      }
      const message = store.addMessage({
        teamId: team.groupId,
        channelId: channel.id,
        fromUserId: principal.userId,
        subject: body.subject ?? null,
        body: { contentType, content: body.body.content },
        attachments: (body.attachments ?? []).map((attachment) => ({
          id: attachment.id,
          contentType: attachment.contentType,
          contentUrl: attachment.contentUrl ?? null,
          name: attachment.name ?? null,
        })),
      });
      return sendGraphJson(
        reply,
        {
          '@odata.context': `${context.graphBase}/$metadata#teams('${team.groupId}')/channels('${encodeURIComponent(channel.id)}')/messages/$entity`,
          ...messageJson(message),
        },
        201,
      );
    },
  );

  app.get(
    '/teams/:team/channels/:channel/messages',
    {
      schema: { ...schemaBase, summary: 'Graph: messages of a channel, newest first', params: channelParams },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { team, channel } = channelFor(
        principal,
        request.params.team,
        request.params.channel,
        PERMISSIONS.readChannelMessages,
      );
      const messages = store.messagesOf(team.groupId, channel.id);
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#teams('${team.groupId}')/channels('${encodeURIComponent(channel.id)}')/messages`,
        '@odata.count': messages.length,
        value: messages.map(messageJson),
      });
    },
  );

  app.get(
    '/teams/:team/channels/:channel/messages/:message',
    { schema: { ...schemaBase, summary: 'Graph: one message of a channel', params: messageParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      const { team, channel } = channelFor(
        principal,
        request.params.team,
        request.params.channel,
        PERMISSIONS.readChannelMessages,
      );
      const message = store.messagesOf(team.groupId, channel.id).find((m) => m.id === request.params.message);
      if (!message) throw new GraphError(404, 'NotFound', 'Message not found.');
      return sendGraphJson(reply, messageJson(message));
    },
  );
};
