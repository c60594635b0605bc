import type { PublicBoard } from '@newhms/contracts';
import { type FeedState, usePublicBoardFeed } from '../../../ui/use-public-board-feed';

export type { FeedState };

/** The live token board of a clinic room (/api/public/display/<code>). */
export function useBoardFeed(boardCode: string): { board: PublicBoard | null; state: FeedState } {
  return usePublicBoardFeed<PublicBoard>(`/api/public/display/${encodeURIComponent(boardCode)}`);
}
