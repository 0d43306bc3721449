/**
 * Console sign-in and sign-out: a login name and password (the directory's
 * users, as SOAP Login) or an API key buys a session, held by the browser as
 * an HttpOnly cookie (session-cookie.ts). These routes need no X-API-Key.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GridhookError, invalidParameter } from '../../errors.js';
import type { Services } from '../../services/index.js';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from './session-cookie.js';
import { ErrorResponses, Ok, SignInBody, SignOutView, UserView } from './schemas.js';
import { SignInLimit } from './sign-in-limit.js';
import { userView } from './views.js';

const tags = ['sessions'];
const open = { tags, security: [] };

export function sessionRoutes(services: Services, signInsPerMinute: number): FastifyPluginAsyncTypebox {
  const limit = new SignInLimit(signInsPerMinute);
  return async (app) => {
    app.post(
      '/v2/sessions/sign-in',
      {
        schema: {
          ...open,
          summary: 'Sign in (console)',
          description:
            'With {"loginName", "password"} or {"apiKey"}. Sets the HttpOnly session cookie gridhook_session; ' +
            'calls carrying it must also send the X-Gridhook-Console header. A session ends at sign-out or ' +
            'after the SOAP session idle time without a call. Rate limited per client address and per login. ' +
            'A wrong login name and a wrong password answer alike.',
          body: SignInBody,
          response: { 200: Ok(UserView), ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const { loginName, password, apiKey } = request.body;
        if (apiKey !== undefined && (loginName !== undefined || password !== undefined)) {
          throw invalidParameter('apiKey', 'send apiKey, or loginName and password, not both');
        }
        if (apiKey === undefined && (loginName === undefined || password === undefined)) {
          throw invalidParameter(loginName === undefined ? 'loginName' : 'password', 'is required (or send apiKey)');
        }
        limit.take(request.ip, apiKey === undefined ? loginName : undefined);
        const opened = await (apiKey === undefined
          ? services.sessions.login(loginName as string, password as string)
          : services.sessions.loginWithApiKey(apiKey)
        ).catch((error: unknown) => {
          if (error instanceof GridhookError && error.code === 'InvalidAPIKey') {
            throw new GridhookError(
              'InvalidAPIKey',
              'Sign-in refused: the login name or password (or the API key) is wrong, or the user is not active.',
            );
          }
          throw error;
        });
        setSessionCookie(request, reply, opened.sessionId);
        const user = await services.directory.me(opened.principal);
        return { success: true as const, data: userView(user) };
      },
    );

    app.post(
      '/v2/sessions/sign-out',
      {
        schema: {
          ...open,
          summary: 'Sign out (console)',
          description: 'Ends the session of the gridhook_session cookie and clears the cookie. No body is needed.',
          response: { 200: Ok(SignOutView), ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const ended = await services.sessions.logout(sessionCookieOf(request));
        clearSessionCookie(request, reply);
        return { success: true as const, data: { signedOut: ended !== null } };
      },
    );
  };
}
