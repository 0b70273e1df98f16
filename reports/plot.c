/* in progress */
#include "arclight/report.h"
typedef int arc_plot_unused_;
