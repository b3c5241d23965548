static int helper_in_h(int a) { return a + ; }
