FROM alpine:3.18

RUN ls /tmp
ENTRYPOINT ["echo", "hello"]
