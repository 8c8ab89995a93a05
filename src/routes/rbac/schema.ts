import { z } from '@hono/zod-openapi';

export const RbacQuery = z.object({
  checks: z.string().min(1).optional().openapi({
    description: 'Comma-separated check ids or groups (prerequisites added); default every check',
    example: 'preflight,smoke',
  }),
});
