import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { WORKSPACE_ROLES } from '../../../../services/access/policy.js';
import { USERNAME_PATTERN } from '../../../../services/identity/user-admin-service.js';
import { WORKSPACE_NAME_PATTERN } from '../../../../services/identity/workspace-service.js';

const WS_VIEW = { type: 'object', additionalProperties: false, required: ['id', 'name', 'createdAt'], properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } } } as const;
const WS_NAME = { type: 'string', pattern: WORKSPACE_NAME_PATTERN } as const;

/** Workspaces: created and staffed by site admins; members see their own. */
export function registerWorkspacesRoutes(app: FastifyInstance, instance: Instance): void {
  app.post<{ Body: { name: string } }>(
    '/api/workspaces',
    {
      config: { access: { permission: 'workspaces:manage' } },
      schema: {
        summary: 'Create a workspace',
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: WS_NAME } },
        response: { 201: WS_VIEW },
      },
    },
    async (request, reply) => reply.code(201).send(await instance.workspaces.create(request.principal!, String(request.id), request.body.name)),
  );

  app.get(
    '/api/workspaces',
    {
      config: { access: { permission: 'workspaces:manage' } },
      schema: { summary: 'List workspaces', response: { 200: { type: 'object', additionalProperties: false, required: ['workspaces'], properties: { workspaces: { type: 'array', items: WS_VIEW } } } } },
    },
    async () => ({ workspaces: await instance.workspaces.list() }),
  );

  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace',
    {
      config: { access: { permission: 'workspace:read', workspaceParam: 'workspace' } },
      schema: {
        summary: 'A workspace you belong to, with your roles in it',
        params: { type: 'object', additionalProperties: false, required: ['workspace'], properties: { workspace: WS_NAME } },
        response: {
          200: { type: 'object', additionalProperties: false, required: ['name', 'roles'], properties: { name: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
    async (request) => ({
      name: request.workspace!.name,
      roles: request.principal!.memberships.filter((m) => m.workspaceId === request.workspace!.id).map((m) => m.role),
    }),
  );

  app.post<{ Params: { workspace: string }; Body: { username: string; role: string } }>(
    '/api/workspaces/:workspace/members',
    {
      config: { access: { permission: 'workspaces:manage' } },
      schema: {
        summary: 'Give a user a role in a workspace',
        params: { type: 'object', additionalProperties: false, required: ['workspace'], properties: { workspace: WS_NAME } },
        body: { type: 'object', additionalProperties: false, required: ['username', 'role'], properties: { username: { type: 'string', pattern: USERNAME_PATTERN }, role: { type: 'string', enum: [...WORKSPACE_ROLES] } } },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await instance.workspaces.addMember(request.principal!, String(request.id), request.params.workspace, request.body.username, request.body.role);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { workspace: string; username: string } }>(
    '/api/workspaces/:workspace/members/:username',
    {
      config: { access: { permission: 'workspaces:manage' } },
      schema: {
        summary: "Remove a user's roles in a workspace",
        params: { type: 'object', additionalProperties: false, required: ['workspace', 'username'], properties: { workspace: WS_NAME, username: { type: 'string', pattern: USERNAME_PATTERN } } },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await instance.workspaces.removeMember(request.principal!, String(request.id), request.params.workspace, request.params.username);
      return reply.code(204).send();
    },
  );
}
