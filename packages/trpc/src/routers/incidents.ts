import { z } from 'zod';
import { incidentDeploymentLinkInput } from '../schemas/dora';
import {
  incidentActionItemAddInput,
  incidentActionItemPatchInput,
  incidentCreateInput,
  incidentListInput,
  incidentPatch,
  incidentPostUpdateInput,
  incidentSetImpactsInput,
  incidentStatsInput,
  incidentTransitionInput,
} from '../schemas/incidents';
import { byId } from '../schemas/refs';
import { addActionItem, removeActionItem, updateActionItem } from '../services/incident-action-items';
import { linkDeployment, unlinkDeployment } from '../services/incident-deployments';
import { getIncident, listIncidents } from '../services/incident-reads';
import { incidentStatsByService } from '../services/incident-stats';
import {
  acknowledgeIncident,
  createIncident,
  postIncidentUpdate,
  setIncidentImpacts,
  transitionIncident,
  updateIncident,
} from '../services/incidents';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const incidentsRouter = createTRPCRouter({
  /** Newest start first; `state` open (not resolved) or resolved, `severity` any of the given. */
  list: authedProcedure.input(incidentListInput).query(({ ctx, input }) => listIncidents(ctx.db, input)),
  /** One incident with its impacts and its timeline (internal updates included), newest first. */
  get: authedProcedure.input(byId).query(({ ctx, input }) => getIncident(ctx.db, input.id)),
  /** Time to acknowledge and to resolve per affected service over the last 7, 30 or 90 days. */
  stats: authedProcedure
    .input(incidentStatsInput)
    .query(({ ctx, input }) => incidentStatsByService(ctx.db, input)),
  create: maintainerProcedure
    .input(incidentCreateInput)
    .mutation(({ ctx, input }) => createIncident(ctx, input)),
  /** A patch of title, severity, commander, times and postmortem; status moves go through `transition`. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), incident: incidentPatch }))
    .mutation(({ ctx, input }) => updateIncident(ctx, input.id, input.incident)),
  /** Refused (INCIDENT_ILLEGAL_TRANSITION) unless the transition table allows the move. */
  transition: maintainerProcedure
    .input(incidentTransitionInput)
    .mutation(({ ctx, input }) => transitionIncident(ctx, input.id, input.status, input.update)),
  acknowledge: maintainerProcedure
    .input(byId)
    .mutation(({ ctx, input }) => acknowledgeIncident(ctx, input.id)),
  postUpdate: maintainerProcedure
    .input(incidentPostUpdateInput)
    .mutation(({ ctx, input }) =>
      postIncidentUpdate(ctx, input.id, { body: input.body, visibility: input.visibility }),
    ),
  /** Replaces the whole set of affected service × environment pairs. */
  setImpacts: maintainerProcedure
    .input(incidentSetImpactsInput)
    .mutation(({ ctx, input }) => setIncidentImpacts(ctx, input.id, input.impacts)),
  /** Postmortem follow-ups: at most INCIDENT_LIMITS.actionItems per incident (INCIDENT_ACTION_ITEM_LIMIT). */
  addActionItem: maintainerProcedure
    .input(incidentActionItemAddInput)
    .mutation(({ ctx, input }) => addActionItem(ctx, input)),
  updateActionItem: maintainerProcedure
    .input(incidentActionItemPatchInput)
    .mutation(({ ctx, input }) => updateActionItem(ctx, input.id, input.patch)),
  removeActionItem: maintainerProcedure
    .input(byId)
    .mutation(({ ctx, input }) => removeActionItem(ctx, input.id)),
  /** Names a deployment as a cause (DORA's change failure rate counts it); a repeat writes nothing. */
  linkDeployment: maintainerProcedure
    .input(incidentDeploymentLinkInput)
    .mutation(({ ctx, input }) => linkDeployment(ctx, input)),
  unlinkDeployment: maintainerProcedure
    .input(incidentDeploymentLinkInput)
    .mutation(({ ctx, input }) => unlinkDeployment(ctx, input)),
});
