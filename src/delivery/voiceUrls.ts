/** The webhook URLs of one verification call; the token names the call and its person. */
export function voiceUrls(publicBaseUrl: string, callToken: string) {
  const base = `${publicBaseUrl}/api/voice/${encodeURIComponent(callToken)}`;
  return {
    /** Twilio's <Gather> posts the key pressed here. */
    gather: base,
    /** Twilio posts the call's final status here. */
    status: `${base}/status`,
    /** Dev outbox mode only: answers the call with the digits posted (`{"digits": "47"}`). */
    devAnswer: `${publicBaseUrl}/api/dev/calls/${encodeURIComponent(callToken)}/answer`,
  };
}
