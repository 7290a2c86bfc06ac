"""`chuhai review`: the local page where analysts review, fix, reject, confirm and add figures."""
