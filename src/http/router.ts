import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { validationHook } from './validation.js';

export type Router = OpenAPIHono<AppEnv>;

/** A router with the shared validation hook (every validation failure is one problem). */
export function newRouter(): Router {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** Security requirement for `/v1` routes (enforced when the server has API tokens). */
export const bearerSecurity = [{ bearerAuth: [] }];
