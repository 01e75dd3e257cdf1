package expr

// TEMP until the funcs branch lands.
const AggSingleValue AggFunc = 200
