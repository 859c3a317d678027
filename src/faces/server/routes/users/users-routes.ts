import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { GLOBAL_ROLES } from '../../../../services/access/policy.js';
import { USERNAME_PATTERN } from '../../../../services/identity/user-admin-service.js';

const USER_VIEW = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'username', 'globalRoles', 'mfaEnrolled', 'disabled', 'mustChangePassword', 'createdAt'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    globalRoles: { type: 'array', items: { type: 'string' } },
    mfaEnrolled: { type: 'boolean' },
    disabled: { type: 'boolean' },
    mustChangePassword: { type: 'boolean' },
    createdAt: { type: 'string' },
  },
} as const;
const USERNAME_PARAMS = { type: 'object', additionalProperties: false, required: ['username'], properties: { username: { type: 'string', pattern: USERNAME_PATTERN } } } as const;

/** User administration (site admin, step-up MFA). */
export function registerUsersRoutes(app: FastifyInstance, instance: Instance): void {
  app.post<{ Body: { username: string; globalRoles?: string[] } }>(
    '/api/users',
    {
      config: { access: { permission: 'users:manage' } },
      schema: {
        summary: 'Create a user; the generated password is returned once',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username'],
          properties: { username: { type: 'string', pattern: USERNAME_PATTERN }, globalRoles: { type: 'array', items: { type: 'string', enum: [...GLOBAL_ROLES] }, maxItems: 2, uniqueItems: true } },
        },
        response: { 201: { type: 'object', additionalProperties: false, required: ['user', 'password'], properties: { user: USER_VIEW, password: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const created = await instance.users.create(request.principal!, String(request.id), request.body.username, request.body.globalRoles ?? []);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/users',
    {
      config: { access: { permission: 'users:manage' } },
      schema: { summary: 'List users', response: { 200: { type: 'object', additionalProperties: false, required: ['users'], properties: { users: { type: 'array', items: USER_VIEW } } } } },
    },
    async () => ({ users: await instance.users.list() }),
  );

  app.post<{ Params: { username: string } }>(
    '/api/users/:username/disable',
    { config: { access: { permission: 'users:manage' } }, schema: { summary: 'Disable a user (sessions end, tokens stop)', params: USERNAME_PARAMS, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await instance.users.disable(request.principal!, String(request.id), request.params.username);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { username: string } }>(
    '/api/users/:username/reset-mfa',
    { config: { access: { permission: 'users:manage' } }, schema: { summary: "Remove a user's authenticator; they enrol again", params: USERNAME_PARAMS, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await instance.users.resetMfa(request.principal!, String(request.id), request.params.username);
      return reply.code(204).send();
    },
  );
}
