import type { MethodTable } from '../dispatcher.js';

export const authMethods: MethodTable = {
  'auth.test': (state) => {
    const { teamId, teamName, teamDomain, botName, botUserId, botId } = state.config;
    return {
      url: `https://${teamDomain}.slack.com/`,
      team: teamName,
      user: botName,
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    };
  },
  'team.info': (state) => {
    const { teamId, teamName, teamDomain } = state.config;
    return {
      team: {
        id: teamId,
        name: teamName,
        domain: teamDomain,
        email_domain: '',
        url: `https://${teamDomain}.slack.com/`,
        is_verified: false,
        icon: { image_default: true },
      },
    };
  },
};
