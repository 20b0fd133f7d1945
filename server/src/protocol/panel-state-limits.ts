/** How many decision grids a panel keeps for its replay (in its own file: validate.ts and index.ts import each other). */
export const replayGrids = 64;
