import { z } from 'zod';
import { PROJECT_STATUSES } from '../entities';
import { choice, rowId } from './formFields';

/** A move on the projects board (a drag and drop, or the card's "Déplacer vers…" form): one project, its new status. */
export const projectMoveSchema = z.object({
	project_id: rowId('form.invalid'),
	status: choice(PROJECT_STATUSES)
});
export type ProjectMove = z.output<typeof projectMoveSchema>;
