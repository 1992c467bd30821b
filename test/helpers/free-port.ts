export { freePort } from '@incident-bot/local-slack';
