import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caughtMailSchema, caughtMailSummarySchema } from './caught-mail.js';
import { isCaughtMailId, type MailCatcher } from './mail-catcher.js';
import { renderMailList, renderMailMessage } from './mail-catcher.page.js';

const idParams = z.object({ id: z.string().refine(isCaughtMailId, 'is not a caught mail id') });

const notFoundBody = z.object({
  error: z.object({ code: z.literal('mail_not_found'), message: z.string() }),
});

/** A 404 in the product's error shape, so clients handle the catcher like any other API. */
function sendNotFound(reply: FastifyReply): FastifyReply {
  return reply
    .status(404)
    .send({ error: { code: 'mail_not_found', message: 'No caught mail with this id.' } });
}

/** The demo mail catcher's pages and JSON API under /emulator/mail (demo mode only). */
export const mailCatcherRoutes: FastifyPluginAsyncZod<{ catcher: MailCatcher }> = async (
  app,
  { catcher },
) => {
  app.get('/emulator/mail', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderMailList(await catcher.list()).value),
  );

  app.get('/emulator/mail/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const message = await catcher.get(request.params.id);
    if (!message) return sendNotFound(reply);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderMailMessage(message).value);
  });

  app.get(
    '/emulator/mail/:id/source',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const source = await catcher.source(request.params.id);
      if (!source) return sendNotFound(reply);
      return reply
        .type('text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(source);
    },
  );

  app.get(
    '/emulator/mail/:id/attachments/:index',
    { schema: { hide: true, params: idParams.extend({ index: z.coerce.number().int().min(0).max(100) }) } },
    async (request, reply) => {
      const found = await catcher.attachment(request.params.id, request.params.index);
      if (!found) return sendNotFound(reply);
      return reply
        .type(found.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'attachment')
        .header('cache-control', 'no-store')
        .send(found.content);
    },
  );

  // The HTML part as a document of its own, sandboxed: it may show its styling, but no script runs,
  // nothing is fetched from elsewhere and it cannot be framed.
  app.get('/emulator/mail/:id/html', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const message = await catcher.get(request.params.id);
    if (!message?.html) return sendNotFound(reply);
    return reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
      )
      .header('cache-control', 'no-store')
      .send(message.html);
  });

  app.get(
    '/emulator/mail/api/messages',
    {
      schema: {
        tags: ['emulator'],
        summary: 'Mail caught by the demo SMTP server, newest first (with bodies)',
        querystring: z.object({ to: z.string().max(320).optional() }),
        response: { 200: z.object({ messages: z.array(caughtMailSchema) }) },
      },
    },
    async (request) => {
      const wanted = request.query.to?.toLowerCase();
      const summaries = (await catcher.list()).filter(
        (summary) => !wanted || summary.envelopeTo.some((address) => address.toLowerCase() === wanted),
      );
      const messages = await Promise.all(summaries.map((summary) => catcher.get(summary.id)));
      return { messages: messages.filter((message) => message !== null) };
    },
  );

  app.get(
    '/emulator/mail/api/messages/:id',
    {
      schema: {
        tags: ['emulator'],
        summary: 'One caught mail with headers and bodies',
        params: idParams,
        response: { 200: caughtMailSchema, 404: notFoundBody },
      },
    },
    async (request, reply) => {
      const message = await catcher.get(request.params.id);
      if (!message) return sendNotFound(reply);
      return message;
    },
  );

  app.delete(
    '/emulator/mail/api/messages',
    {
      schema: {
        tags: ['emulator'],
        summary: 'Forget every caught mail',
        response: { 200: z.object({ deleted: z.literal(true) }) },
      },
    },
    async () => {
      await catcher.clear();
      return { deleted: true as const };
    },
  );
};

export { caughtMailSummarySchema };
