import { type AgentAction, byClaimingAgent } from './agentAction';
import { claim } from './claim';
import { close } from './close';
import { issuePass } from './issuePass';
import { message } from './message';
import { reregister } from './reregister';

export type { AgentAction, AgentTurn } from './agentAction';

/** What an agent's click on a ticket card asks for (its `action`), and who handles it. */
export const AGENT_ACTIONS: ReadonlyMap<string, AgentAction> = new Map([
  ['claim', claim],
  ['message', message],
  ['reregister', byClaimingAgent(reregister)],
  ['issuePass', byClaimingAgent(issuePass)],
  ['close', close],
]);
