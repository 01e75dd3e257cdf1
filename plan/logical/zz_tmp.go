package logical

// TEMP until the joins branch lands.
const MarkJoin JoinType = 200
