import { facilities } from './organization.tables';

/**
 * The column a module's table points its `facility_id` foreign key at. Modules declare the reference with
 * this instead of importing the platform's tables, which stay private to the platform.
 */
export const facilityIdColumn = () => facilities.id;
