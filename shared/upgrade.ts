/**
 * Why the server refuses a sync upgrade before it becomes a socket, and with which HTTP
 * status. The reason is the plain-text body of the refusal, so a script or a proxy log
 * says which rule answered; a browser's WebSocket only sees that the connection failed,
 * and y-websocket tries again later, which is what a person on a full server should get.
 */
export const UpgradeRefusal = {
  /** Not under the sync path. */
  NotSyncPath: { status: 404, reason: 'not_a_sync_path' },
  /** The path's board id is not shaped like one. */
  BadBoardId: { status: 400, reason: 'bad_board_id' },
  /** No board has that id. */
  UnknownBoard: { status: 404, reason: 'unknown_board' },
  /** No capability token in the URL. */
  NoToken: { status: 401, reason: 'no_token' },
  /** A token that opens nothing on this board (wrong, revoked, or another board's). */
  BadToken: { status: 403, reason: 'bad_token' },
  /** A browser secret (`client` parameter) that is not shaped like one. */
  BadClientSecret: { status: 400, reason: 'bad_client_secret' },
  /** The page that opened the socket is on another site (cross-site WebSocket hijacking). */
  OriginNotAllowed: { status: 403, reason: 'origin_not_allowed' },
  /** This process holds `STIP_MAX_ROOMS` boards open and the board asked for is not one. */
  TooManyRooms: { status: 503, reason: 'too_many_rooms' },
  /** This process has `STIP_MAX_CONNECTIONS` sync sockets open. */
  TooManyConnections: { status: 503, reason: 'too_many_connections' },
  /** A hop from another Stip process (`CLUSTER_HOP_HEADER`) without the cluster's secret. */
  BadClusterHop: { status: 401, reason: 'bad_cluster_hop' },
  /** A hop reached a process that does not own the board (it just moved): the sender tries again. */
  BoardMoving: { status: 503, reason: 'board_moving' },
} as const
export type UpgradeRefusal = (typeof UpgradeRefusal)[keyof typeof UpgradeRefusal]
