import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { operatorRightsRoutes } from './operator-rights.routes.js';
import { portalRightsRoutes } from './portal-rights.routes.js';
import { selfServiceRightsRoutes } from './self-service.routes.js';
import { websiteRequestRoutes } from './website-request.routes.js';

/** The data-subject rights feature's routes (docs/privacy-rights.md maps each right to one). */
export const rightsRoutes: FastifyPluginAsyncZod<{ context: AppContext; mail: MailSender }> = async (
  app,
  { context, mail },
) => {
  await app.register(selfServiceRightsRoutes, { context });
  await app.register(websiteRequestRoutes, { context, mail });
  await app.register(portalRightsRoutes, { context });
  await app.register(operatorRightsRoutes, { context, mail });
};
