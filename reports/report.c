/* in progress */
#include "arclight/report.h"
typedef int arc_report_unused_;
