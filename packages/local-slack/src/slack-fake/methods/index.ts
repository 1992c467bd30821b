import type { MethodTable } from '../dispatcher.js';
import { authMethods } from './auth.js';
import { bookmarkMethods } from './bookmarks.js';
import { chatMethods } from './chat.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import { pinMethods } from './pins.js';
import { reactionMethods } from './reactions.js';
import { usergroupMethods } from './usergroups.js';
import { userMethods } from './users.js';
import { viewMethods } from './views.js';

/** Every Web API method the fake answers; anything else is `unknown_method`. */
export const slackMethods: MethodTable = {
  ...authMethods,
  ...userMethods,
  ...conversationMethods,
  ...chatMethods,
  ...pinMethods,
  ...bookmarkMethods,
  ...reactionMethods,
  ...viewMethods,
  ...fileMethods,
  ...usergroupMethods,
};
