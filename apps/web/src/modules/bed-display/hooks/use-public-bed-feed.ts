import type { PublicBedBoard } from '@newhms/contracts';
import { type FeedState, usePublicBoardFeed } from '../../../ui/use-public-board-feed';

export type { FeedState };

/** The public bed board of a ward's display code (/api/public/bed-board/<code>), live. */
export function usePublicBedFeed(displayCode: string): { board: PublicBedBoard | null; state: FeedState } {
  return usePublicBoardFeed<PublicBedBoard>(`/api/public/bed-board/${encodeURIComponent(displayCode)}`);
}
