import type { Router } from '../../http/router.js';
import { registerCancelAudit } from './cancel.js';
import { registerCreateAudit } from './create.js';
import { registerDeleteAudit } from './delete.js';
import { registerAuditEvents } from './events.js';
import { registerGetAudit } from './get.js';
import { registerListAudits } from './list.js';
import { registerGetReport } from './report.js';

/** `/v1/audits` and its sub-resources. */
export function registerAuditRoutes(app: Router): void {
  registerCreateAudit(app);
  registerListAudits(app);
  registerGetAudit(app);
  registerCancelAudit(app);
  registerDeleteAudit(app);
  registerGetReport(app);
  registerAuditEvents(app);
}
