import { builder } from './builder.ts';

// Each feature module adds its types, queries and mutations to the builder when imported.
import './modules/sdg/sdg.schema.ts';
import './modules/topic/topic.schema.ts';
import './modules/indicator/indicator.schema.ts';
import './modules/city/city.schema.ts';
import './modules/partnership/partnership.schema.ts';
import './modules/department/department.schema.ts';
import './modules/dashboard/dashboard.schema.ts';
import './modules/exchange/exchange.schema.ts';
import './modules/outcome/outcome.schema.ts';
import './modules/reported-value/reported-value.schema.ts';
import './modules/target/target.schema.ts';
import './modules/indicator/indicator-records.schema.ts';
import './modules/user/user.schema.ts';
import './modules/user/audit-log.schema.ts';
import './modules/public/public.schema.ts';

/** The executable GraphQL schema of udx. */
export const schema = builder.toSchema({ sortSchema: true });
