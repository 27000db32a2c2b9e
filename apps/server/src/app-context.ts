import type { preHandlerAsyncHookHandler } from 'fastify';
import type { ValidateAccessToken } from './auth/entra-token-validator.js';
import type { Config } from './config/config.js';
import type { Database } from './db/database.js';

/** What every feature gets: configuration, the database and the shared request guards. */
export interface AppContext {
  config: Config;
  db: Database;
  validateAccessToken: ValidateAccessToken;
  authenticateUser: preHandlerAsyncHookHandler;
}
