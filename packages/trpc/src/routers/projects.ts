import { z } from 'zod';
import {
  addMemberInput,
  listUpdatesInput,
  projectInput,
  projectListInput,
  projectPatch,
  projectRef,
  projectUpdateInput,
  removeMemberInput,
  setMembersInput,
  setServicesInput,
  shareLinkCreateInput,
} from '../schemas/projects';
import {
  addProjectMember,
  addProjectUpdate,
  createProject,
  deleteProject,
  getProjectDetail,
  listProjects,
  listProjectUpdates,
  removeProjectMember,
  setProjectArchived,
  setProjectMembers,
  setProjectServices,
  setProjectSubscribed,
  updateProject,
} from '../services/projects/projects';
import { createShareLink, listShareLinks, revokeShareLink } from '../services/projects/share-links';
import {
  adminProcedure,
  authedProcedure,
  createTRPCRouter,
  maintainerProcedure,
  roleProcedure,
} from '../trpc';

const projectId = z.object({ projectId: z.uuid() });
/** Subscribing is a person's own choice about their mail, so any signed-in role, never a key. */
const selfProcedure = roleProcedure('viewer', { sessionOnly: true });

const shareLinksRouter = createTRPCRouter({
  list: maintainerProcedure
    .input(projectId)
    .query(({ ctx, input }) => listShareLinks(ctx.db, input.projectId)),
  /** Returns the token once; only its hash is kept. */
  create: maintainerProcedure
    .input(shareLinkCreateInput)
    .mutation(({ ctx, input }) => createShareLink(ctx, input)),
  revoke: maintainerProcedure.input(projectRef).mutation(({ ctx, input }) => revokeShareLink(ctx, input.id)),
});

export const projectsRouter = createTRPCRouter({
  list: authedProcedure
    .input(projectListInput)
    .query(({ ctx, input }) => listProjects(ctx.db, input.includeArchived)),
  get: authedProcedure
    .input(projectRef)
    .query(({ ctx, input }) => getProjectDetail(ctx.db, input.id, ctx.identity)),
  create: maintainerProcedure.input(projectInput).mutation(({ ctx, input }) => createProject(ctx, input)),
  /** A patch: fields left out keep their stored values. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), project: projectPatch }))
    .mutation(({ ctx, input }) => updateProject(ctx, input.id, input.project)),
  archive: maintainerProcedure
    .input(projectRef)
    .mutation(({ ctx, input }) => setProjectArchived(ctx, input.id, true)),
  unarchive: maintainerProcedure
    .input(projectRef)
    .mutation(({ ctx, input }) => setProjectArchived(ctx, input.id, false)),
  delete: adminProcedure.input(projectRef).mutation(({ ctx, input }) => deleteProject(ctx, input.id)),
  setMembers: maintainerProcedure
    .input(setMembersInput)
    .mutation(({ ctx, input }) => setProjectMembers(ctx, input.projectId, input.members)),
  addMember: maintainerProcedure
    .input(addMemberInput)
    .mutation(({ ctx, input }) =>
      addProjectMember(ctx, input.projectId, { userId: input.userId, digest: input.digest }),
    ),
  removeMember: maintainerProcedure
    .input(removeMemberInput)
    .mutation(({ ctx, input }) => removeProjectMember(ctx, input.projectId, input.userId)),
  setServices: maintainerProcedure
    .input(setServicesInput)
    .mutation(({ ctx, input }) => setProjectServices(ctx, input.projectId, input.serviceIds)),
  subscribe: selfProcedure
    .input(projectId)
    .mutation(({ ctx, input }) => setProjectSubscribed(ctx, input.projectId, true)),
  unsubscribe: selfProcedure
    .input(projectId)
    .mutation(({ ctx, input }) => setProjectSubscribed(ctx, input.projectId, false)),
  addUpdate: maintainerProcedure
    .input(projectUpdateInput)
    .mutation(({ ctx, input }) => addProjectUpdate(ctx, input)),
  listUpdates: authedProcedure
    .input(listUpdatesInput)
    .query(({ ctx, input }) => listProjectUpdates(ctx.db, input.projectId, input.limit)),
  shareLinks: shareLinksRouter,
});
