/**
 * An emulator of Microsoft Graph (beta, Intune compliance-policy assignments) and of the Entra ID token endpoint,
 * for tests, the local demo and benchmarks. It is an in-process HTTPS server built on the JDK's
 * {@code com.sun.net.httpserver}; independent clients talk to it exactly as they would to Microsoft.
 *
 * <h2>Starting it</h2>
 * <pre>{@code
 * try (GraphEmulator graph = GraphEmulator.start(EmulatorSettings.defaults())) {
 *     graph.registerApp(tenantId, clientId, secret);
 *     graph.addPolicy(tenantId, policyId, "Windows 10 baseline");
 *     graph.addGroup(tenantId, groupId, "Pilot devices");            // for GET /groups/{id}
 *     graph.addAssignmentFilter(tenantId, filterId, "Windows 11 only"); // for GET …/assignmentFilters/{id}
 *     graph.tenant(tenantId).directoryChecks(true);   // writes refuse what the directory does not hold
 *     // authority: graph.authorityHost() + "/" + tenantId + "/", Graph: graph.graphBaseUrl()
 * }
 * }</pre>
 * The server binds 127.0.0.1 only. With TLS on (the default) it presents the bundled self-signed certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}; clients trust it through {@code emulator/truststore.p12}
 * (PKCS12, password {@code changeit}), which {@link io.assignmentworker.emulator.GraphEmulator#writeTrustStore}
 * copies out for other processes. Starting an emulator sets {@code sun.net.httpserver.nodelay=true} unless the
 * property is already set, so small replies are not held back by Nagle's algorithm.
 *
 * <h2>Entra ID</h2>
 * <ul>
 * <li>{@code POST /{tenant}/oauth2/v2.0/token}, form-encoded, {@code grant_type=client_credentials} and
 *     {@code scope=https://graph.microsoft.com/.default} (the OIDC scopes {@code openid profile offline_access}
 *     may accompany it). The client authenticates with {@code client_secret} (in the body or HTTP Basic) or with
 *     {@code client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer} and a
 *     {@code client_assertion}: <b>the emulator checks only that the assertion is JWT-shaped and that the
 *     client id is registered; it does not verify the signature or claims</b>.</li>
 * <li>Success: {@code 200 {"token_type":"Bearer","expires_in":s,"ext_expires_in":s,"access_token":"…"}}.
 *     Tokens are opaque random strings, valid for {@code tokenTtl} until {@code expireAllTokens()}.</li>
 * <li>Errors use Entra's shape ({@code error}, {@code error_description} starting {@code AADSTS<n>:},
 *     {@code error_codes}, {@code timestamp}, {@code trace_id}, {@code correlation_id}, {@code error_uri}):
 *     unknown tenant 400 {@code invalid_request} AADSTS90002; unknown client 400 {@code unauthorized_client}
 *     AADSTS700016; wrong secret 401 {@code invalid_client} AADSTS7000215; no credential 401
 *     {@code invalid_client} AADSTS7000218; scope without {@code /.default} 400 {@code invalid_scope}
 *     AADSTS1002012; a resource other than Graph 400 {@code invalid_resource} AADSTS500011; another grant 400
 *     {@code unsupported_grant_type} AADSTS70003; a missing parameter 400 {@code invalid_request} AADSTS900144.</li>
 * <li>{@code GET /{tenant}/v2.0/.well-known/openid-configuration} and {@code GET /common/discovery/instance}
 *     answer in the documented shapes for libraries that validate authorities. msal4j needs neither when built
 *     with {@code instanceDiscovery(false)}.</li>
 * </ul>
 *
 * <h2>Graph ({@code /beta}; the tenant is the token's)</h2>
 * <ul>
 * <li>{@code GET deviceManagement/deviceCompliancePolicies/{id}}: the policy, or 404.</li>
 * <li>{@code GET …/{id}/assignments}: {@code {"@odata.context","value":[…]}}; with {@code pageSize > 0} pages
 *     carry an absolute {@code @odata.nextLink} to follow verbatim.</li>
 * <li>Assignment ids are Graph's, whatever id a create, an {@code /assign} entry or a seed carried:
 *     {@code {policyId}_{groupId}} for group and exclusion-group targets (the GUID in lower case),
 *     {@code {policyId}_adadadad-808e-44e2-905a-0b7873a8a531} for All devices,
 *     {@code {policyId}_acacacac-9df4-4c7d-9d50-4ef0226f57a9} for All licensed users and, unverified,
 *     {@code {policyId}_{collectionId}} for Configuration Manager collections. So a policy holds each subject
 *     (group, collection, All devices, All users) once, as include or exclude, with at most one filter.</li>
 * <li>{@code GET …/{id}/assignments/{assignmentId}}: one assignment by that id, compared case-insensitively
 *     (the target of the {@code Location} header).</li>
 * <li>{@code POST …/{id}/assignments}: creates a {@code deviceCompliancePolicyAssignment}, 201 with
 *     {@code Location}. A subject the policy already has is refused 400 {@code BadRequest} with Intune's message
 *     document "The policy already has an assignment for {subject}: {existingId}. Change that assignment
 *     through assign instead." (what Graph answers here is unverified).</li>
 * <li>{@code POST …/{id}/assign} with {@code {"assignments":[…]}}: replaces the whole set, 200 with the new
 *     set. A set naming one subject twice (e.g. a group as include and as exclusion, or with two filters) is
 *     refused 400 {@code BadRequest}, Intune's message document saying "assignments[i] and assignments[j] both
 *     target {subject}: a group should be unique in an assignment set."; nothing is written.
 *     {@code duplicateAssignments} counts a second assignment of one subject (which these rules keep at 0) plus
 *     every write refused by them: a client's attempts to assign a subject twice.</li>
 * <li>{@code GET groups/{id}}: a group registered with {@code addGroup} ({@code id}, {@code displayName},
 *     {@code createdDateTime}, {@code securityEnabled} …), or 404 {@code Request_ResourceNotFound} "Resource '{id}'
 *     does not exist or one of its queried reference-property objects are not present." as Entra's directory
 *     words it; a group passed to {@code TenantBehaviour.missingGroup} is 404 too; a malformed id 400
 *     {@code Request_BadRequest} "Invalid object identifier '{id}'.".</li>
 * <li>{@code GET groups/{id}/transitiveMembers/$count}: the members registered with
 *     {@code addGroup(tenant, id, name, members)}, as {@code text/plain}; only with {@code ConsistencyLevel: eventual}
 *     (else 400 {@code Request_BadRequest} "$count is not currently supported."), as Graph serves directory counts;
 *     404 as for the group itself.</li>
 * <li>{@code GET deviceManagement/assignmentFilters/{id}}: a filter registered with {@code addAssignmentFilter}
 *     ({@code #microsoft.graph.deviceAndAppManagementAssignmentFilter}: {@code id}, {@code displayName},
 *     {@code platform}, {@code rule} …), or 404 {@code ResourceNotFound} with Intune's message document; a
 *     malformed id 400 {@code BadRequest}.</li>
 * <li>Both reads are counted in the stats ({@code GET_GROUP}, {@code GET_ASSIGNMENT_FILTER}) and against the
 *     request budget like every other read; only {@code GET} is allowed (405 otherwise).</li>
 * <li><b>Directory checks.</b> Graph refuses a write whose target names a group or a filter its directory does not
 *     hold; the emulator does so per tenant while {@code TenantBehaviour.directoryChecks} is on (off by default;
 *     {@code EmulatorSettings.withDirectoryChecks(true)} turns it on for every tenant, the admin field
 *     {@code "directoryChecks"} and {@code EMULATOR_DIRECTORY=strict} too). Then a create or an {@code /assign}
 *     entry whose group or exclusion-group target names a group not registered with {@code addGroup} answers 400
 *     {@code BadRequest}, Intune's message document saying "Invalid GroupId : {groupId} provided, a valid
 *     AADGroupId is expected."; one whose filter type is include or exclude and whose filter is not registered
 *     with {@code addAssignmentFilter} answers 400 {@code BadRequest} "Scope Tags validation failed : Filters
 *     {filterId} , Validated filters " (a filter id beside type {@code none} is not checked). An {@code /assign}
 *     then writes nothing of its set. So a client that reads {@code GET /groups/{id}} before writing (the CLI's
 *     {@code submit --dry-run}) and one that writes agree: 404 on the read exactly when the write is refused.
 *     Off, any well-formed id is accepted, so tests that assign random group ids need not register them;
 *     registering groups does not by itself turn the checks on. Either way a group passed to
 *     {@code missingGroup} is refused with the same 400. Seeds ({@code addAssignment}) are not checked: an
 *     assignment outlives a group deleted after it. The checks run after validation, before the duplicate-subject
 *     rule; a refused write has still used its share of the budgets, like any call that got past them.</li>
 * <li>Validation as OData does it: unknown properties, unknown or abstract target types, malformed GUIDs
 *     ({@code groupId}, filter id when the filter type is include/exclude) and enum values give 400
 *     {@code BadRequest}; a malformed policy id in the path gives 400, not 404. Keys may also be written
 *     {@code deviceCompliancePolicies('{id}')}.</li>
 * <li>Errors: {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}},
 *     Content-Type {@code application/json}; the date is UTC without fraction or zone letter, as Graph writes it.
 *     A missing entity is 404 {@code ResourceNotFound}; for that and for 429, {@code message} holds Intune's
 *     serialized JSON document ({@code {"_version":3,"Message":"…"}}) rather than prose, as the real service
 *     does. Unknown paths 404, wrong methods 405 with {@code Allow}. Every reply carries {@code request-id} and
 *     {@code client-request-id} (the caller's, echoed, or the request id when none was sent).</li>
 * <li>Auth: no bearer 401 {@code InvalidAuthenticationToken} "Access token is empty."; unknown or expired 401
 *     "Access token has expired or is not yet valid."; both with {@code WWW-Authenticate: Bearer …}. An app
 *     passed to {@code denyPermission} still gets tokens, but Graph answers 403 {@code Forbidden} naming
 *     {@code DeviceManagementConfiguration.ReadWrite.All}.</li>
 * </ul>
 * Each Graph call runs: latency, authentication (401/403), injected faults, budgets (429), then the operation.
 *
 * <h2>Throttling, faults and latency</h2>
 * Per tenant, in a sliding {@code budgetWindow}: at most {@code requestBudget} Graph calls and, of those,
 * {@code writeBudget} writes (create and assign). Over budget: 429 {@code TooManyRequests} with
 * {@code Retry-After} = time until a slot frees, rounded up, as whole seconds, fractional seconds or an
 * HTTP-date ({@link io.assignmentworker.emulator.RetryAfterFormat}), left out at {@code omitRetryAfterRatio}.
 * Throttled calls consume no budget. {@link io.assignmentworker.emulator.TenantBehaviour} changes budgets at
 * runtime and injects faults: {@code outage} (all 503), {@code unavailableRatio} (random 503, nothing done),
 * {@code ambiguousTimeoutRatio} (a successful write is performed and then answered 504 {@code GatewayTimeout};
 * reads are not affected), {@code failNext(count, status)}, {@code createRouteRefused} (Intune's 400 "No method
 * match route template" for {@code POST …/assignments}) and {@code latency(mean, jitter)}, spent on the server's
 * {@code threads} worker threads. Ratios and jitter draw from a {@code Random} seeded with {@code seed}.
 *
 * <p>One-shot malformed replies, each for the next {@code count} calls it applies to (a new count replaces the
 * pending one; 0 clears it), counted in {@code EmulatorStats.injected}:
 * <ul>
 * <li>{@code listWithoutValue(count)}: list replies (first or follow-up pages) answer 200 with an object that
 *     has {@code @odata.context} but no {@code value} array.</li>
 * <li>{@code failNextPage(count)}: follow-up pages (requests carrying {@code $skiptoken}) answer 503
 *     {@code ServiceUnavailable} in Graph's error shape; first pages are not affected.</li>
 * <li>{@code brokenNextLink(count)}: first pages carry an {@code @odata.nextLink}, whether or not more follows,
 *     on the same list URL but with a skip token that has expired, as a server-side cursor does; following it
 *     answers 400 {@code BadRequest} "The $skiptoken '…' has expired. Start the listing again from its first
 *     page." (the emulator's wording).</li>
 * <li>{@code assignWithoutBody(count)}: successful {@code /assign} calls write and answer 200 with no body
 *     (msgraph-sdk-powershell#2605); refused ones and those hidden behind an ambiguous 504 do not count.</li>
 * <li>{@code assignDropsExisting(count)}: successful {@code /assign} calls store their set without the first entry
 *     sent that the policy already held, and answer with what they stored: no documented Graph behaviour, a
 *     stand-in for another writer's removal landing between a client's write and its read-back.</li>
 * </ul>
 * Paging itself is set by {@code EmulatorSettings.pageSize} ({@code withPageSize(2)} in a test).
 *
 * <h2>Changing a policy behind the client's back (Java API)</h2>
 * {@code addAssignment(tenant, policy, json)} seeds an assignment and returns its id (refused when the policy has
 * the subject), {@code replaceAssignment(tenant, policy, json)} replaces the assignment of the same subject in
 * place under the same id (e.g. to change its filter), {@code removeAssignment(tenant, policy, assignmentId)}
 * removes one; the two answer whether the policy had it. All are atomic with respect to Graph's writes.
 *
 * <h2>Admin surface (no auth, JSON)</h2>
 * <ul>
 * <li>{@code GET /_emulator/stats}: {@code graphCalls}, {@code throttled}, {@code tokensIssued},
 *     {@code writesPerformed}, {@code counts} keyed {@code "CREATE 201"}, {@code "GET_GROUP 404"} etc., and
 *     {@code injected} keyed {@code LIST_WITHOUT_VALUE}, {@code FAILED_NEXT_PAGE}, {@code BROKEN_NEXT_LINK},
 *     {@code ASSIGN_WITHOUT_BODY}, {@code ASSIGN_DROPPED_EXISTING}.</li>
 * <li>{@code GET /_emulator/tenants/{t}/policies/{p}/assignments}: {@code {"value":[…]}}.</li>
 * <li>{@code GET /_emulator/tenants/{t}/duplicates}: {@code {"tenantId":t,"duplicates":n}}.</li>
 * <li>{@code GET|POST /_emulator/tenants/{t}/behaviour}: reads or changes knobs, e.g.
 *     {@code {"writeBudget":10,"requestBudget":100,"unavailableRatio":0.1,"ambiguousTimeoutRatio":0,
 *     "outage":false,"createRouteRefused":true,"directoryChecks":true,"failNext":{"count":3,"status":503},"latency":"PT0.2S",
 *     "latencyJitter":"PT0.05S","listWithoutValue":1,"failNextPage":2,"brokenNextLink":1,
 *     "assignWithoutBody":1}}; absent fields stay as they are, an invalid body changes nothing. The reply
 *     shows the one-shot knobs as the counts still pending.</li>
 * <li>{@code POST /_emulator/tokens/expire}: as {@code expireAllTokens()}.</li>
 * </ul>
 *
 * <h2>Standalone</h2>
 * {@link io.assignmentworker.emulator.GraphEmulatorMain} reads system properties, or environment variables of
 * the same names: {@code EMULATOR_PORT} (8443), {@code EMULATOR_TLS} (true), {@code EMULATOR_TENANT_ID},
 * {@code EMULATOR_CLIENT_ID}, {@code EMULATOR_CLIENT_SECRET} (all three or none), {@code EMULATOR_POLICIES}
 * (comma-separated policy GUIDs to create), {@code EMULATOR_GROUPS} and {@code EMULATOR_FILTERS} (comma-separated
 * group and assignment-filter GUIDs to register in that tenant), {@code EMULATOR_DIRECTORY} ({@code open}, the
 * default, or {@code strict}: directory checks on for every tenant), {@code EMULATOR_TOKEN_TTL}, {@code EMULATOR_BUDGET_WINDOW} and
 * {@code EMULATOR_LATENCY} (ISO-8601 durations such as {@code PT1H}), {@code EMULATOR_WRITE_BUDGET}. It prints
 * its URLs (never the secret) and runs until killed.
 *
 * <h2>Known differences from the real services</h2>
 * <ul>
 * <li>The JDK server capitalizes header names on the wire ({@code Client-request-id}); HTTP header names are
 *     case-insensitive, but a client that looks them up case-sensitively will miss them.</li>
 * <li>Only the resources above exist; policies, groups and filters cannot be listed or created over HTTP, and
 *     {@code $select}/{@code $expand} are ignored.</li>
 * <li>Unverified, and chosen to be safe rather than known to be Graph's: the reply to a create for a subject
 *     the policy has, the id of a Configuration Manager collection assignment, and the wording of the emulator's
 *     own messages (only "a group should be unique in an assignment set" is quoted from Intune).</li>
 * <li>Directory checks, unverified for compliance policies. No public thread shows what
 *     {@code deviceCompliancePolicies} answers for a well-formed group or filter id that does not exist. The
 *     messages are Intune's as seen from the settings-catalog {@code configurationPolicies/…/assign}: "Invalid
 *     GroupId : … provided, a valid AADGroupId is expected." (Kvikku/IntuneAssignments#16, for an id that was not
 *     a group's) and a 400 "Scope Tags validation failed : Filters … , Validated filters " for a filter missing
 *     from the tenant (Micke-K/IntuneManagement#373). Azure/securedworkstation#25 reports a bad request when the
 *     group does not exist; MSEndpointMgr/IntuneWin32App#118 suggests that app assignments to an unknown group
 *     are stored and shown as "Group deleted", so Graph may well accept such writes for some resources. 400 with
 *     Intune's message document is the plausible, safe choice: a client must treat it as a permanent refusal
 *     of that line.</li>
 * <li>Tokens are opaque, not JWTs; the real service's real throttling limits are not published and are not
 *     modelled beyond the two budgets.</li>
 * </ul>
 */
package io.assignmentworker.emulator;
