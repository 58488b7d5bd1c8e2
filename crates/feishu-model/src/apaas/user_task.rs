//! aPaaS flow user-task endpoints.
