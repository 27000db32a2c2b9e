import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from './emulator-context.js';
import { authenticateGraph } from './graph/graph-auth.js';
import { GraphError, sendGraphError } from './graph/graph-errors.js';

const mailbox = z.object({ id: z.string(), displayName: z.string(), address: z.string() });

/**
 * The shared mailboxes the signed-in user may open (docs/microsoft-365.md §5.11). Real Outlook learns
 * them from Exchange (autodiscover), which the emulator does not have; its Outlook page asks here,
 * with the same Graph token it reads mail with.
 */
export const outlookMailboxRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/emulator/outlook/api/shared-mailboxes',
    {
      schema: {
        tags: ['emulator'],
        summary: 'Outlook emulator: shared mailboxes of the signed-in user',
        security: [{ bearer: [] }],
        response: { 200: z.object({ value: z.array(mailbox) }) },
      },
    },
    async (request, reply) => {
      try {
        const principal = await authenticateGraph(context, request);
        if (principal.kind !== 'delegated') {
          throw new GraphError(400, 'BadRequest', 'Only a signed-in user has shared mailboxes.');
        }
        const value = context.directory
          .sharedMailboxesOf(principal.tenantId, principal.userId)
          .map((user) => ({ id: user.id, displayName: user.displayName, address: user.mail }));
        return reply.send({ value });
      } catch (error) {
        if (error instanceof GraphError) {
          return sendGraphError(
            request,
            reply,
            error,
            context.now(),
            `${context.emulatorBase}/common/oauth2/authorize`,
          );
        }
        throw error;
      }
    },
  );
};
