FROM python:3.7
ENTRYPOINT ["/hello"]
COPY testprojects.src.python.hello.main/main.pex /hello
