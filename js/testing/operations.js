// The card operations as engine/src/endpoints.rs describes them, written by
// `make generate` (gen/): edit the table, not this file. Parameters are
// named as the caller knows them; `wire` maps those named otherwise on the
// wire.
export const operations = Object.freeze([
  Object.freeze({ name: "issueCard", method: "POST", path: "/users/{userId}/cards/virtuals", query: [], body: [], optional: [], retry: "actsAtMostOnce", args: ["userId"] }),
  Object.freeze({ name: "linkCard", method: "POST", path: "/users/{userId}/cards", query: ["clientId"], body: ["card", "alias"], optional: ["alias"], retry: "actsAtMostOnce", args: ["userId", ["card", "alias", "clientId"]] }),
  Object.freeze({ name: "activateCard", method: "POST", path: "/users/{userId}/cards/{cardId}/activate", query: [], body: [], optional: [], retry: "setsState", args: ["userId", "cardId"] }),
  Object.freeze({ name: "blockCard", method: "POST", path: "/users/{userId}/cards/{cardId}/block", query: [], body: [], optional: [], retry: "setsState", args: ["userId", "cardId"] }),
  Object.freeze({ name: "unblockCard", method: "POST", path: "/users/{userId}/cards/{cardId}/unblock", query: [], body: [], optional: [], retry: "setsState", args: ["userId", "cardId"] }),
  Object.freeze({ name: "blockCardForUser", method: "POST", path: "/cards/{cardId}/users/{authUserId}/block", query: [], body: [], optional: [], retry: "setsState", args: ["cardId", "authUserId"] }),
  Object.freeze({ name: "unblockCardForUser", method: "POST", path: "/cards/{cardId}/users/{authUserId}/unblock", query: [], body: [], optional: [], retry: "setsState", args: ["cardId", "authUserId"] }),
  Object.freeze({ name: "updateCardAlias", method: "PATCH", path: "/cards/{cardId}", query: [], body: ["alias"], optional: [], retry: "setsState", args: ["cardId", "alias"] }),
  Object.freeze({ name: "getCardDetails", method: "GET", path: "/users/{userId}/cards/{cardId}", query: ["viewToken"], body: [], optional: [], retry: "neverRetried", args: ["userId", "cardId", "viewToken"] }),
  Object.freeze({ name: "createStatement", method: "POST", path: "/cards/{cardId}/statements", query: [], body: ["month", "year"], optional: [], retry: "actsAtMostOnce", args: ["cardId", ["month", "year"]] }),
  Object.freeze({ name: "setCardPin", method: "POST", path: "/cards/{cardId}/pin", query: [], body: ["pin"], optional: [], retry: "actsAtMostOnce", args: ["cardId", "pin"] }),
  Object.freeze({ name: "setCardPinForUser", method: "POST", path: "/cards/{cardId}/users/{authUserId}/pin", query: [], body: ["pin"], optional: [], retry: "actsAtMostOnce", args: ["cardId", "authUserId", "pin"] }),
]);

/** Wire names that differ from the caller's. */
export const wire = Object.freeze({ viewToken: "token" });
